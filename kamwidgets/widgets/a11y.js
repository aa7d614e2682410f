// Accessible names for the controls of a page (loaded with each of the workbook's front-end
// modules; runs once per page). A control whose widget has no visible description gets the
// description or the tooltip the Python side gave it as its aria-label; slider handles, which
// no label reaches, always do. Scrolling tables become reachable by keyboard.
(() => {
  if (typeof window === "undefined" || window.__kamwidgetsA11y) return;
  window.__kamwidgetsA11y = true;
  const CONTROLS = "input, select, textarea, .noUi-handle, .widget-readout";

  function nameControls(root) {
    for (const label of root.querySelectorAll("label.widget-label")) {
      const widget = label.parentElement;
      if (!widget) continue;
      const name = (label.textContent || "").trim() || (label.getAttribute("title") || "").trim();
      if (!name) continue;
      const shown = label.style.display !== "none";
      for (const control of widget.querySelectorAll(CONTROLS)) {
        if (control.getAttribute("aria-label")) continue;
        const labelled = shown && control.id && label.htmlFor === control.id;
        if (!labelled) control.setAttribute("aria-label", name);
      }
    }
    for (const box of root.querySelectorAll(".kam-scroll")) {
      if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
    }
  }

  // Tab and section titles in the theme's main text colour: the secondary grey misses 4.5:1 on grey.
  const style = document.createElement("style");
  style.textContent =
    ".jupyter-widget-Collapse-header, .jupyter-widgets .lm-TabBar-tab, .jupyter-widgets .lm-TabBar-tabLabel" +
    " { color: var(--jp-ui-font-color1, #1f1f1f) !important; }";
  document.head.appendChild(style);

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
})();
