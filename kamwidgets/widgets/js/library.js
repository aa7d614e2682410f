// plotly.js as widget state (PlotlyLibrary in _chart.py): one model per kernel, shared by every chart.
// It has no view; it tells the page's record of charts (see chart.js) which charts the kernel displayed.
export default {
  initialize({ model }) {
    const registry = (globalThis.__kamwidgetsCharts ??= { drawn: new Set(), expected: null, plotly: new Map() });
    const update = () => {
      registry.expected = new Set(model.get("on_page"));
    };
    update();
    model.on("change:on_page", update);
  },
};
