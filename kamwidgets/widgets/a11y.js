// Accessible names for the controls of a page (loaded with each of the workbook's front-end
// modules; runs once per page). A control whose widget has no visible description gets the
// description or the tooltip the Python side gave it as its aria-label; slider handles, which
// no label reaches, always do. Scrolling tables and accordion headers become reachable by keyboard.
(() => {
  if (typeof window === "undefined" || window.__kamwidgetsA11y) return;
  window.__kamwidgetsA11y = true;
  const CONTROLS = "input, select, textarea, .noUi-handle, .widget-readout";
  let groups = 0;

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
    // A question's choices are one group: one Tab stop, arrow keys choose (ipywidgets leaves them unnamed,
    // so each choice was a stop of its own and arrows did nothing).
    for (const box of root.querySelectorAll(".widget-radio-box")) {
      const choices = box.querySelectorAll("input[type=radio]");
      if (choices.length && !choices[0].name) {
        const group = `kam-choice-${++groups}`;
        for (const choice of choices) choice.name = group;
      }
    }
    // Accordion headers ("Names, time budget and limits") open by mouse only: make them buttons that
    // Enter and Space open too, and that say whether they are open.
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

  // The kernel behind a lesson's page gone (stopped by the server after a long pause, crashed, restarted):
  // the widgets stop answering and ipywidgets marks each one with a broken-link icon, which says nothing
  // to a participant. In Voila (the app view, for participants who do not code), one notice says what
  // happened and what to do, and the icons are hidden while it shows. JupyterLab and Notebook show the
  // kernel's state themselves.
  const notice = document.createElement("div");
  notice.className = "kam-disconnected-notice";
  notice.setAttribute("role", "alert");
  notice.style.cssText =
    "position:sticky;top:0;z-index:10000;padding:10px 16px;font-size:15px;line-height:1.4;" +
    "background:#fff4ce;color:#1f1f1f;border-bottom:2px solid #8a6d00;display:flex;gap:12px;align-items:center;" +
    "flex-wrap:wrap";
  const words = document.createElement("span");
  words.textContent =
    "This page has lost its connection to the lesson (the server stopped or restarted it, for example after " +
    "a long pause). What the lesson keeps in your workbook is saved: reload the page to go on.";
  const again = document.createElement("button");
  again.type = "button";
  again.textContent = "Reload the page";
  again.style.cssText =
    "padding:4px 12px;font-size:14px;cursor:pointer;background:#fff;color:#1f1f1f;border:1px solid #5c5c5c;" +
    "border-radius:3px";
  again.addEventListener("click", () => window.location.reload());
  notice.append(words, again);
  const iconsOff = document.createElement("style");
  iconsOff.textContent = "body.kam-disconnected .jupyter-widgets-disconnected::before { display: none !important; }";
  // The page's connection to its kernel down for more than a few seconds (the server itself stopped:
  // ipywidgets only marks the widgets after it gives up reconnecting, minutes later).
  let down = null;
  const kernelGone = () => {
    const kernel = window.jupyterapp?._widgetManager?.kernel; // Voila's own app; absent: rely on the marks
    if (!kernel) return false;
    if (kernel.connectionStatus === "connected" && kernel.status !== "dead") {
      down = null;
      return false;
    }
    down ??= performance.now();
    return performance.now() - down > 5000;
  };
  let checking = false;
  const check = () => {
    checking = false;
    if (document.getElementById("rendered_cells") === null) return; // not Voila's page
    const lost = document.querySelector(".jupyter-widgets-disconnected") !== null || kernelGone();
    if (lost && !notice.isConnected) {
      document.head.appendChild(iconsOff);
      document.body.classList.add("kam-disconnected");
      document.body.prepend(notice); // above the page, pushing it down: it covers nothing
    } else if (!lost && notice.isConnected) {
      notice.remove();
      document.body.classList.remove("kam-disconnected");
    }
  };
  const watchConnection = () => {
    if (document.getElementById("rendered_cells") === null) return; // not Voila's page
    new MutationObserver(() => {
      if (checking) return;
      checking = true;
      requestAnimationFrame(check);
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["class"] });
    setInterval(check, 2000);
  };
  if (document.body) watchConnection();
  else window.addEventListener("DOMContentLoaded", watchConnection);
})();
