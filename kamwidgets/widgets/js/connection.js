// A lesson page whose kernel has gone (runs once per page; loaded with the name box and the page helper).
//
// When the kernel behind a lesson's page stops (stopped by the server after a long pause, crashed,
// restarted), the widgets stop answering and ipywidgets marks each one with a broken-link icon, which
// says nothing to a participant. In Voila (the app view, for participants who do not code), one notice
// says what happened and what to do, and the icons are hidden while it shows. JupyterLab and Notebook
// show the kernel's state themselves.
import "./connection.css";
import { voilaKernel } from "./voila.js";

(() => {
  if (typeof window === "undefined" || window.__kamwidgetsConnection) return;
  window.__kamwidgetsConnection = true;
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
  // The page's connection to its kernel down for more than a few seconds (the server itself stopped:
  // ipywidgets only marks the widgets after it gives up reconnecting, minutes later).
  let down = null;
  const kernelGone = () => {
    const kernel = voilaKernel(); // absent: rely on the marks
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
    const lost = document.querySelector(".jupyter-widgets-disconnected") !== null || kernelGone();
    if (lost && !notice.isConnected) {
      document.body.classList.add("kam-disconnected"); // hides the icons (connection.css)
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
