// Built from kamwidgets/widgets/js/ by `npm run build` (esbuild): edit the sources there.

// kamwidgets/widgets/js/a11y.js
var CONTROLS = "input, select, textarea, .noUi-handle, .widget-readout";
var groups = 0;
var words = (text) => (text || "").replace(/\u200b/g, "").trim();
function nameByLabels(root) {
  for (const label of root.querySelectorAll("label.widget-label")) {
    const widget = label.parentElement;
    if (!widget) continue;
    const name = words(label.textContent) || words(label.getAttribute("title"));
    if (!name) continue;
    const shown = label.style.display !== "none";
    for (const control of widget.querySelectorAll(CONTROLS)) {
      if (control.getAttribute("aria-label")) continue;
      const labelled = shown && control.id && label.htmlFor === control.id;
      if (!labelled) control.setAttribute("aria-label", name);
    }
  }
  for (const control of root.querySelectorAll("input[title], select[title], textarea[title]")) {
    const name = (control.getAttribute("title") || "").trim();
    if (name && !control.getAttribute("aria-label")) control.setAttribute("aria-label", name);
  }
}
function groupChoices(root) {
  for (const box of root.querySelectorAll(".widget-radio-box")) {
    const choices = box.querySelectorAll("input[type=radio]");
    if (choices.length && !choices[0].name) {
      const group = `kam-choice-${++groups}`;
      for (const choice of choices) choice.name = group;
    }
  }
}
function headersAsButtons(root) {
  for (const header of root.querySelectorAll(".jupyter-widget-Collapse-header")) {
    if (!header.hasAttribute("tabindex")) {
      header.setAttribute("tabindex", "0");
      header.setAttribute("role", "button");
      header.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          header.click();
        }
      });
      header.addEventListener("click", () => requestAnimationFrame(() => expanded(header)));
    }
    expanded(header);
  }
}
function expanded(header) {
  const open = Boolean(header.parentElement?.classList.contains("jupyter-widget-Collapse-open"));
  header.setAttribute("aria-expanded", String(open));
}
function nameControls(root) {
  nameByLabels(root);
  for (const box of root.querySelectorAll(".kam-scroll")) {
    if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
  }
  groupChoices(root);
  headersAsButtons(root);
}
function watchThePage() {
  let pending = false;
  const observer = new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      nameControls(document);
    });
  });
  const start = () => {
    nameControls(document);
    observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["title"] });
  };
  if (document.body) start();
  else window.addEventListener("DOMContentLoaded", start);
}
if (typeof window !== "undefined" && !window.__kamwidgetsA11y) {
  window.__kamwidgetsA11y = true;
  watchThePage();
}

// kamwidgets/widgets/js/files.js
var CHUNK = 1 << 20;
function chooser(input, id, statusId) {
  input.className = "kam-file-input";
  input.tabIndex = -1;
  input.setAttribute("aria-hidden", "true");
  const choose = document.createElement("button");
  choose.type = "button";
  choose.id = id + "-choose";
  choose.className = "jupyter-button widget-button kam-file-choose";
  choose.textContent = "Choose a file";
  choose.setAttribute("aria-labelledby", `${id}-title ${choose.id}`);
  choose.setAttribute("aria-describedby", statusId);
  choose.addEventListener("click", () => input.click());
  return choose;
}
function uploader({ model, el }) {
  const box = document.createElement("div");
  box.className = "kam-file";
  const id = "kam-upload-" + Math.random().toString(36).slice(2);
  const title = document.createElement("div");
  title.id = id + "-title";
  title.className = "kam-file-title";
  title.textContent = model.get("description");
  const input = document.createElement("input");
  input.type = "file";
  input.id = id;
  input.accept = model.get("accept");
  const status = document.createElement("div");
  status.id = id + "-status";
  status.className = "kam-file-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  const choose = chooser(input, id, status.id);
  const show = () => {
    status.textContent = model.get("status");
  };
  model.on("change:status", show);
  show();
  input.addEventListener("change", async () => {
    const file = input.files && input.files[0];
    if (!file) return;
    const limit = model.get("max_bytes");
    if (file.size > limit) {
      model.send({ event: "refused", name: file.name, size: file.size });
      input.value = "";
      return;
    }
    model.send({ event: "start", name: file.name, size: file.size });
    for (let start = 0, i = 0; start < file.size; start += CHUNK, i += 1) {
      const piece = await file.slice(start, start + CHUNK).arrayBuffer();
      model.send({ event: "chunk", index: i }, void 0, [piece]);
    }
    model.send({ event: "end", name: file.name, size: file.size });
    input.value = "";
  });
  box.append(title, choose, input, status);
  el.append(box);
}
function downloader({ model, el }) {
  const button = document.createElement("button");
  button.className = "jupyter-button widget-button kam-download";
  button.type = "button";
  const status = document.createElement("span");
  status.className = "kam-file-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  const show = () => {
    button.textContent = model.get("description");
    status.textContent = model.get("status");
  };
  model.on("change:description", show);
  model.on("change:status", show);
  show();
  button.addEventListener("click", () => model.send({ event: "request" }));
  model.on("msg:custom", (msg, buffers) => {
    if (!msg || msg.event !== "file") return;
    const blob = new Blob(buffers.map((b) => b.buffer ? b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) : b), { type: msg.mime });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = msg.filename;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 6e4);
  });
  const item = document.createElement("div");
  item.className = "kam-download-item";
  item.append(button, status);
  el.append(item);
}
var files_default = {
  render({ model, el }) {
    if (model.get("role") === "upload") uploader({ model, el });
    else downloader({ model, el });
  }
};
export {
  files_default as default
};
