// Built from kamwidgets/widgets/js/ by `npm run build` (esbuild): edit the sources there.

// kamwidgets/widgets/js/library.js
var library_default = {
  initialize({ model }) {
    const registry = globalThis.__kamwidgetsCharts ??= { drawn: /* @__PURE__ */ new Set(), expected: null, plotly: /* @__PURE__ */ new Map() };
    const update = () => {
      registry.expected = new Set(model.get("on_page"));
    };
    update();
    model.on("change:on_page", update);
  }
};
export {
  library_default as default
};
