// The one place the workbook reads a private part of Voila's page (see kamwidgets/widgets/_patches.py, which
// lists every such part, and tests/test_dependency_guard.py, which checks the installed Voila still has it).
//
// Why: the lost-kernel notice (connection.js) must show when the server itself has stopped; ipywidgets marks
// the widgets only minutes later, when it gives up reconnecting. Voila's page keeps its kernel connection in
// `window.jupyterapp._widgetManager.kernel`, its own field, not an API.
// What would let it go: Voila exposing the page's kernel (or a "connection lost" event) publicly, e.g. as
// `window.jupyterapp.kernel`, as JupyterLab's session context does.

// The page's kernel connection in Voila's app view, or undefined elsewhere (or if Voila no longer has it).
export function voilaKernel() {
  return window.jupyterapp?._widgetManager?.kernel;
}
