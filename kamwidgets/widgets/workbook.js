// Whose work is this page? In the app view (Voila) a participant types a name
// once; the browser remembers it and adds ?workbook=NAME to every lesson's
// address, which is how the kernel learns it (Voila passes the query string).
const KEY = "kamwidgets.workbook";

function inAppView() {
  return window.location.pathname.includes("/voila/");
}

function withWorkbook(name) {
  const url = new URL(window.location.href);
  url.searchParams.set("workbook", name);
  return url.toString();
}

export default {
  render({ model, el }) {
    const box = document.createElement("div");
    box.className = "kam-workbook";
    const current = new URL(window.location.href).searchParams.get("workbook");
    let remembered = null;
    try { remembered = window.localStorage.getItem(KEY); } catch (e) { remembered = null; }
    if (inAppView() && !current && remembered) {
      window.location.replace(withWorkbook(remembered));  // once per page: the kernel restarts with the name
      return;
    }
    if (current) {
      try { window.localStorage.setItem(KEY, current); } catch (e) { /* private mode: the URL still works */ }
    }
    const label = document.createElement("label");
    const id = "kam-workbook-" + Math.random().toString(36).slice(2);
    label.htmlFor = id;
    label.textContent = "Your name (keeps your work apart from others'): ";
    const input = document.createElement("input");
    input.id = id;
    input.type = "text";
    input.maxLength = 200;
    input.value = current || model.get("workbook") || "";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "jupyter-button widget-button";
    button.style.width = "auto";
    button.textContent = "Use this name";
    const note = document.createElement("span");
    note.setAttribute("role", "status");
    note.textContent = model.get("note");
    model.on("change:note", () => { note.textContent = model.get("note"); });
    button.addEventListener("click", () => {
      const name = input.value.trim();
      if (!name) { note.textContent = "Type a name first."; return; }
      try { window.localStorage.setItem(KEY, name); } catch (e) { /* the URL still carries it */ }
      if (inAppView()) window.location.assign(withWorkbook(name));
      else model.send({ event: "name", name });
    });
    box.append(label, input, button, note);
    el.append(box);
  },
};
