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

// kamwidgets/widgets/js/voila.js
function voilaKernel() {
  return window.jupyterapp?.widgetManager?.kernel;
}

// kamwidgets/widgets/js/connection.js
(() => {
  if (typeof window === "undefined" || window.__kamwidgetsConnection) return;
  window.__kamwidgetsConnection = true;
  const notice = document.createElement("div");
  notice.className = "kam-disconnected-notice";
  notice.setAttribute("role", "alert");
  notice.style.cssText = "position:sticky;top:0;z-index:10000;padding:10px 16px;font-size:15px;line-height:1.4;background:#fff4ce;color:#1f1f1f;border-bottom:2px solid #8a6d00;display:flex;gap:12px;align-items:center;flex-wrap:wrap";
  const words2 = document.createElement("span");
  words2.textContent = "This page has lost its connection to the lesson (the server stopped or restarted it, for example after a long pause). What the lesson keeps in your workbook is saved: reload the page to go on.";
  const again = document.createElement("button");
  again.type = "button";
  again.textContent = "Reload the page";
  again.style.cssText = "padding:4px 12px;font-size:14px;cursor:pointer;background:#fff;color:#1f1f1f;border:1px solid #5c5c5c;border-radius:3px";
  again.addEventListener("click", () => window.location.reload());
  notice.append(words2, again);
  let down = null;
  const kernelGone = () => {
    const kernel = voilaKernel();
    if (!kernel) return false;
    if (kernel.connectionStatus === "connected" && kernel.status !== "dead") {
      down = null;
      return false;
    }
    down ??= performance.now();
    return performance.now() - down > 5e3;
  };
  let checking = false;
  const check = () => {
    checking = false;
    const lost = document.querySelector(".jupyter-widgets-disconnected") !== null || kernelGone();
    if (lost && !notice.isConnected) {
      document.body.classList.add("kam-disconnected");
      document.body.prepend(notice);
    } else if (!lost && notice.isConnected) {
      notice.remove();
      document.body.classList.remove("kam-disconnected");
    }
  };
  const watchConnection = () => {
    if (document.getElementById("rendered_cells") === null) return;
    new MutationObserver(() => {
      if (checking) return;
      checking = true;
      requestAnimationFrame(check);
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["class"] });
    setInterval(check, 2e3);
  };
  if (document.body) watchConnection();
  else window.addEventListener("DOMContentLoaded", watchConnection);
})();

// kamwidgets/widgets/js/workbook.js
var KEY = "kamwidgets.workbook";
var COOKIE = "kamwidgets_workbook";
var NO_NAME = "default";
function keep(name) {
  try {
    window.localStorage.setItem(KEY, name);
  } catch (e) {
  }
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
var workbook_default = {
  render({ model, el }) {
    const box = document.createElement("div");
    box.className = "kam-workbook";
    const current = new URL(window.location.href).searchParams.get("workbook");
    let remembered = null;
    try {
      remembered = window.localStorage.getItem(KEY);
    } catch (e) {
      remembered = null;
    }
    if (inAppView() && !current && remembered && remembered !== NO_NAME) {
      window.location.replace(withWorkbook(remembered));
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
    input.value = named === NO_NAME ? "" : named;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "jupyter-button widget-button";
    button.style.width = "auto";
    button.textContent = "Use this name";
    const note = document.createElement("span");
    note.className = "kam-workbook-note";
    note.setAttribute("role", "status");
    note.textContent = model.get("note");
    model.on("change:note", () => {
      note.textContent = model.get("note");
    });
    button.addEventListener("click", () => {
      const name = input.value.trim();
      if (!name) {
        note.textContent = "Type a name first.";
        return;
      }
      keep(name);
      if (inAppView()) window.location.assign(withWorkbook(name));
      else model.send({ event: "name", name });
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") button.click();
    });
    box.append(label, input, button, note);
    el.append(box);
  }
};
export {
  workbook_default as default
};
