// Whose work is this page? In the app view (Voila) a participant types a name
// once; the browser remembers it and adds ?workbook=NAME to every lesson's
// address, which is how the kernel learns it (Voila passes the query string).
// The browser keeps it in localStorage and in a cookie, as the lessons' Voila
// page does (jupyter-data/voila/templates/kamwidgets/workbook_name.js): the
// workshop's server reads the cookie before a lesson runs.
// Every lesson starts with this box: it brings the page's accessibility step and the lost-kernel notice.
import "./a11y.js";
import "./connection.js";
import "./workbook.css";

const KEY = "kamwidgets.workbook";
const COOKIE = "kamwidgets_workbook";
// "default" is the workbook of everyone who gave no name: not a name to show or keep.
const NO_NAME = "default";

function keep(name) {
  try { window.localStorage.setItem(KEY, name); } catch (e) { /* private mode: the cookie and URL carry it */ }
  document.cookie = `${COOKIE}=${encodeURIComponent(name)}; path=/; max-age=31536000; SameSite=Lax`;
}

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
    if (inAppView() && !current && remembered && remembered !== NO_NAME) {
      window.location.replace(withWorkbook(remembered));  // once per page: the kernel restarts with the name
      return;
    }
    if (current && current !== NO_NAME) keep(current);
    const label = document.createElement("label");
    const id = "kam-workbook-" + Math.random().toString(36).slice(2);
    label.htmlFor = id;
    label.textContent = "Your name (keeps your work apart from others'): ";
    const input = document.createElement("input");
    input.id = id;
    input.type = "text";
    input.maxLength = 200;
    input.placeholder = "Your name, e.g. Ann";
    const named = current || model.get("workbook") || "";
    input.value = named === NO_NAME ? "" : named;  // empty until a name is given: typing starts a name
    const button = document.createElement("button");
    button.type = "button";
    button.className = "jupyter-button widget-button";
    button.style.width = "auto";
    button.textContent = "Use this name";
    const note = document.createElement("span");
    note.className = "kam-workbook-note";
    note.setAttribute("role", "status");
    note.textContent = model.get("note");
    model.on("change:note", () => { note.textContent = model.get("note"); });
    button.addEventListener("click", () => {
      const name = input.value.trim();
      if (!name) { note.textContent = "Type a name first."; return; }
      keep(name);
      if (inAppView()) window.location.assign(withWorkbook(name));
      else model.send({ event: "name", name });
    });
    input.addEventListener("keydown", (event) => { if (event.key === "Enter") button.click(); });
    box.append(label, input, button, note);
    el.append(box);
  },
};
