// The one place the workbook reads Voila's page app (see kamwidgets/widgets/_patches.py, which lists every
// part of another library the workbook relies on from the inside; tests/test_dependency_guard.py checks the
// installed Voila still has it).
//
// Why: the lost-kernel notice (connection.js) must show when the server itself has stopped; ipywidgets marks
// the widgets only minutes later, when it gives up reconnecting. Voila's page puts its app in
// `window.jupyterapp`, whose public `widgetManager` getter has the page's kernel connection. (It used to be
// read from the protected `_widgetManager` field.)
// What would let it go: Voila announcing a lost connection itself (an event, or a notice of its own).

// The page's kernel connection in Voila's app view, or undefined elsewhere (or if Voila no longer has it).
export function voilaKernel() {
  return window.jupyterapp?.widgetManager?.kernel;
}
