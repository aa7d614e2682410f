// Accessible names for the controls of a page (imported by each of the workbook's front-end
// modules; runs once per page). A control whose widget has no visible description gets the
// description or the tooltip the Python side gave it as its aria-label; slider handles, which
// no label reaches, always do. Scrolling tables and accordion headers become reachable by keyboard.
// Its styles (a11y.css) come with every module that imports it.
import "./a11y.css";

const CONTROLS = "input, select, textarea, .noUi-handle, .widget-readout";
let groups = 0;

// A label's words; a checkbox's description label holds a zero-width space only (its words are in the label
// around the box, which names it), and that space named the box "" when taken as its aria-label.
const words = (text) => (text || "").replace(/\u200b/g, "").trim();

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
  // A text box, text area or list named only by its tooltip: ipywidgets puts the tooltip on the control and
  // leaves an empty hidden <label for=...>, which Chromium takes as the (empty) name ahead of the title.
  for (const control of root.querySelectorAll("input[title], select[title], textarea[title]")) {
    const name = (control.getAttribute("title") || "").trim();
    if (name && !control.getAttribute("aria-label")) control.setAttribute("aria-label", name);
  }
}

// A question's choices are one group: one Tab stop, arrow keys choose (ipywidgets leaves them unnamed,
// so each choice was a stop of its own and arrows did nothing).
function groupChoices(root) {
  for (const box of root.querySelectorAll(".widget-radio-box")) {
    const choices = box.querySelectorAll("input[type=radio]");
    if (choices.length && !choices[0].name) {
      const group = `kam-choice-${++groups}`;
      for (const choice of choices) choice.name = group;
    }
  }
}

// Accordion headers ("Names, time budget and limits") open by mouse only: make them buttons that
// Enter and Space open too, and that say whether they are open.
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

// Once per page, however many of the workbook's modules import this one: names now, and again after
// each change to the page (at most once a frame).
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
