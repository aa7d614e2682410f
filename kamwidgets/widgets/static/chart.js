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

// kamwidgets/widgets/js/reach.js
var idle = (task, timeout) => window.requestIdleCallback ? window.requestIdleCallback(() => task(), timeout ? { timeout } : {}) : setTimeout(task, 200);
function scroller(el) {
  const cells = el.closest("#rendered_cells");
  if (cells) return cells;
  for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
    const overflow = getComputedStyle(node).overflowY;
    if ((overflow === "auto" || overflow === "scroll") && node.scrollHeight > node.clientHeight) return node;
  }
  return null;
}
function whenNear(el, { inView, near, above = null, timeout = 0 }) {
  let gone = false;
  let observers = [];
  const later = (task) => idle(() => gone || task(), timeout);
  const watch = (tries) => {
    if (gone) return;
    if (!el.isConnected) {
      if (tries < 600) requestAnimationFrame(() => watch(tries + 1));
      else setTimeout(() => watch(tries), 1e3);
      return;
    }
    const root = scroller(el);
    const here = new IntersectionObserver((entries) => {
      for (const e of entries) {
        const box = e.boundingClientRect;
        if (e.isIntersecting) inView();
        else if (above && box.height > 0 && e.rootBounds && box.bottom <= e.rootBounds.top) later(above);
      }
    }, { root });
    const ahead = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && later(near), {
      root,
      rootMargin: "100% 0px"
    });
    here.observe(el);
    ahead.observe(el);
    observers = [here, ahead];
  };
  watch(0);
  return () => {
    gone = true;
    for (const observer of observers) observer.disconnect();
  };
}

// kamwidgets/widgets/js/chart.js
var registry = globalThis.__kamwidgetsCharts ??= { drawn: /* @__PURE__ */ new Set(), expected: null, plotly: /* @__PURE__ */ new Map() };
registry.waiting ??= /* @__PURE__ */ new Set();
registry.drawWaiting ??= () => {
  const started = registry.waiting.size;
  for (const view of [...registry.waiting]) view.start();
  return started;
};
if (!registry.printing) {
  registry.printing = true;
  window.addEventListener("beforeprint", () => {
    for (const view of [...registry.waiting]) {
      view.printed = true;
      view.note.textContent = "This chart was not drawn yet when the page was printed. It is being drawn now: print again in a moment to include it.";
      view.start();
    }
  });
}
function reached(view, stop) {
  return new Promise((resolve) => {
    let unwatch = null;
    view.start = () => {
      if (!registry.waiting.delete(view)) return;
      if (unwatch) unwatch();
      view.el.dataset.state = "loading";
      resolve();
    };
    registry.waiting.add(view);
    stop.push(() => {
      registry.waiting.delete(view);
      if (unwatch) unwatch();
    });
    unwatch = whenNear(view.el, { inView: view.start, near: view.start, above: view.start });
  });
}
async function libraryModel(model) {
  const ref = model.get("_library") || "";
  const id = ref.replace(/^IPY_MODEL_/, "");
  for (let attempt = 0; ; attempt++) {
    try {
      return await model.widget_manager.get_model(id);
    } catch (err) {
      if (attempt >= 600) throw new Error(`the chart library (${id}) never arrived: ${err}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
async function loadPlotly(model) {
  const library = await libraryModel(model);
  const version = library.get("js_version");
  if (!registry.plotly.has(version)) {
    const loading = (async () => {
      const early = await (globalThis.__kamwidgetsPlotlyPage ?? Promise.resolve(null));
      if (early && early.version === version) {
        registry.from = "page";
        return early;
      }
      const served = await fromServer(version);
      if (served) {
        registry.from = "server";
        return served;
      }
      if (!library.get("source")) {
        const arrived = new Promise((resolve) => {
          const check = () => {
            if (library.get("source")) {
              library.off("change:source", check);
              resolve();
            }
          };
          library.on("change:source", check);
        });
        library.send({ want: "source" });
        await arrived;
      }
      performance.mark("kam:plotly-start");
      const exports = evaluate(library.get("source"), version);
      performance.measure("kam:plotly", "kam:plotly-start");
      registry.from = "kernel";
      return exports;
    })();
    loading.catch(() => registry.plotly.delete(version));
    registry.plotly.set(version, loading);
  }
  return registry.plotly.get(version);
}
function evaluate(source, version) {
  const module = { exports: {} };
  new Function("module", "exports", "define", `${source}
//# sourceURL=kamwidgets-plotly-${version}.js`)(
    module,
    module.exports,
    void 0
  );
  return module.exports;
}
async function fromServer(version) {
  try {
    const config = JSON.parse(document.getElementById("jupyter-config-data")?.textContent ?? "null");
    if (!config || typeof config.baseUrl !== "string") return null;
    const headers = config.token ? { Authorization: `token ${config.token}` } : {};
    const url = `${config.baseUrl.replace(/\/?$/, "/")}kamwidgets/plotly.min.js?v=${encodeURIComponent(version)}`;
    const response = await fetch(url, { credentials: "same-origin", headers });
    if (!response.ok) return null;
    const exports = evaluate(await response.text(), version);
    return exports.version === version ? exports : null;
  } catch (err) {
    return null;
  }
}
var CONFIG = {
  displaylogo: false,
  responsive: false,
  showSendToCloud: false,
  showEditInChartStudio: false,
  modeBarButtonsToRemove: ["sendDataToCloud", "editInChartStudio", "select2d", "lasso2d"]
};
function setPath(target, path, value) {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    if (node[key] === void 0 || node[key] === null) node[key] = typeof path[i + 1] === "number" ? [] : {};
    node = node[key];
  }
  node[path[path.length - 1]] = value;
}
var TYPED = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array
};
function typedArray(value) {
  const Type = value && typeof value === "object" ? TYPED[value.typed] : void 0;
  const view = Type ? value.buffer : void 0;
  if (!view || !ArrayBuffer.isView(view)) return value;
  return new Type(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}
function getPath(target, path) {
  let node = target;
  for (const key of path) node = node === void 0 || node === null ? void 0 : node[key];
  return node;
}
function stringsOf(value, figure) {
  const at = value && typeof value === "object" && Array.isArray(value.strings) ? typedArray(value.at) : null;
  if (!ArrayBuffer.isView(at)) return value;
  const pool = value.strings.flatMap((path) => getPath(figure, path) ?? []);
  return Array.from(at, (i) => pool[i]);
}
function figureOf(model) {
  const figure = JSON.parse(model.get("_spec") || "{}");
  const patch = model.get("_patch") || [];
  const values = patch.map(([, value]) => stringsOf(value, figure));
  patch.forEach(([path], i) => setPath(figure, path, typedArray(values[i])));
  figure.data = figure.data || [];
  figure.layout = figure.layout || {};
  return figure;
}
function numbersTable(model, el, uid) {
  const toggle = document.createElement("button");
  const table = document.createElement("div");
  table.id = `kam-chart-table-${uid}`;
  table.className = "kam-chart-table";
  toggle.type = "button";
  toggle.className = "kam-chart-table-toggle";
  toggle.setAttribute("aria-controls", table.id);
  toggle.style.cssText = "margin:2px 0 6px;padding:2px 10px;font-size:12px;cursor:pointer;border-radius:3px;background:var(--jp-layout-color1,#fff);color:var(--jp-ui-font-color1,#222);border:1px solid var(--jp-border-color1,#767676)";
  toggle.addEventListener("click", () => {
    model.set("_table_open", !model.get("_table_open"));
    model.save_changes();
  });
  el.append(toggle, table);
  const showTable = () => {
    const open = Boolean(model.get("_table_open"));
    toggle.hidden = !model.get("_spec");
    toggle.textContent = open ? "Hide the table" : "Show the numbers as a table";
    toggle.setAttribute("aria-expanded", String(open));
    table.hidden = !open;
    table.innerHTML = open ? model.get("_table") : "";
  };
  showTable();
  model.on("change:_table_open", showTable);
  model.on("change:_table", showTable);
  model.on("change:_spec", showTable);
  return () => {
    model.off("change:_table_open", showTable);
    model.off("change:_table", showTable);
    model.off("change:_spec", showTable);
  };
}
function chartPlace(model, el, plotly, uid) {
  const plot = document.createElement("div");
  const note = document.createElement("div");
  note.style.cssText = "position:absolute;top:0;left:0;padding:8px 12px;color:var(--jp-ui-font-color1,#1f1f1f)";
  el.style.position = "relative";
  el.append(note, plot);
  const place = { plot, note, drawing: Promise.resolve(), closed: false, fixed: false };
  let queued = false;
  let waiting = null;
  let first = null;
  const draw = async () => {
    if (!model.get("_spec")) {
      plotly.now()?.purge(plot);
      plot.replaceChildren();
      drawn(place, el, uid, "ready");
      return;
    }
    const Plotly = await plotlyOr(plotly, place, el, uid);
    if (!Plotly || place.closed) return;
    const t0 = performance.now();
    const figure = first ?? figureOf(model);
    first = null;
    await drawFigure(Plotly, place, el, uid, figure, t0);
  };
  place.schedule = () => {
    if (queued || place.closed) return;
    queued = true;
    place.drawing = place.drawing.then(() => {
      queued = false;
      return place.closed ? void 0 : draw();
    });
  };
  const holdPlace = () => {
    first = figureOf(model);
    const { width, height } = first.layout;
    el.style.width = width ? "" : "100%";
    plot.style.minWidth = width ? `${width}px` : "";
    plot.style.minHeight = `${height || 450}px`;
  };
  place.changed = () => {
    first = null;
    if (waiting) holdPlace();
    else place.schedule();
  };
  place.wait = (stop) => {
    el.dataset.state = "waiting";
    holdPlace();
    note.textContent = "This chart is drawn as you scroll to it.";
    const view = waiting = { uid, el, note };
    reached(view, stop).then(() => {
      waiting = null;
      if (!view.printed) note.textContent = "Drawing the chart\u2026";
      place.schedule();
    });
  };
  return place;
}
async function plotlyOr(plotly, place, el, uid) {
  try {
    return await plotly();
  } catch (err) {
    failed(place, el, uid, err);
    return null;
  }
}
function failed(place, el, uid, err) {
  drawn(place, el, uid, "error");
  place.plot.textContent = `This chart could not be drawn: ${err}`;
  console.error(err);
}
function drawn(place, el, uid, state) {
  place.note.remove();
  place.plot.style.minHeight = place.plot.style.minWidth = "";
  el.dataset.state = state;
  registry.drawn.add(uid);
}
async function drawFigure(Plotly, place, el, uid, figure, t0) {
  const t1 = performance.now();
  place.fixed = Boolean(figure.layout.width);
  el.style.width = place.fixed ? "" : "100%";
  try {
    await Plotly.react(place.plot, figure.data, figure.layout, CONFIG);
    drawn(place, el, uid, "ready");
    const t2 = performance.now();
    performance.measure("kam:draw", { start: t0, end: t2 });
    Object.assign(el.dataset, { drawnAt: String(t2), readMs: (t1 - t0).toFixed(1), drawMs: (t2 - t1).toFixed(1) });
  } catch (err) {
    failed(place, el, uid, err);
  }
}
function followWidth(el, place, plotly) {
  let width = 0;
  const resize = new ResizeObserver(() => {
    const now = el.clientWidth;
    if (now > 0 && now !== width && el.dataset.state === "ready" && !place.fixed && plotly()) {
      width = now;
      plotly().Plots.resize(place.plot);
    }
  });
  resize.observe(el);
  return resize;
}
var chart_default = {
  async render({ model, el }) {
    const uid = model.get("_uid");
    el.classList.add("kam-chart");
    el.dataset.uid = uid;
    el.dataset.state = "loading";
    let Plotly = null;
    let loading = null;
    const plotly = () => loading ??= loadPlotly(model).then((loaded) => Plotly = loaded);
    plotly.now = () => Plotly;
    const place = chartPlace(model, el, plotly, uid);
    const stopTable = numbersTable(model, el, uid);
    model.on("change:_spec", place.changed);
    model.on("change:_patch", place.changed);
    const resize = followWidth(el, place, plotly.now);
    const stop = [];
    if (model.get("_spec") && document.getElementById("rendered_cells")) {
      place.wait(stop);
    } else {
      place.schedule();
      await place.drawing;
    }
    return () => {
      place.closed = true;
      for (const task of stop) task();
      resize.disconnect();
      model.off("change:_spec", place.changed);
      model.off("change:_patch", place.changed);
      stopTable();
      if (Plotly) Plotly.purge(place.plot);
    };
  }
};
export {
  chart_default as default
};
