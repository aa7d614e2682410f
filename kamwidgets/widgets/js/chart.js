// The workbook's chart view: draws a plotly figure sent by the kernel as JSON.
//
// plotly.js is not part of this module: it arrives once per page (the page's own copy, the server's, or the
// state of the one shared PlotlyLibrary model) and is evaluated once, however many charts the page has.
// This module is small, so the widget runtime initialises each chart at once, however busy the browser is.
//
// State: `_spec` is a whole figure (JSON text); `_patch` lists the changes made since, as [path, value]
// pairs (path: keys and list indices), so a slider move sends only what moved. A changed number array comes
// as {typed: "float32", buffer} (its bytes, a binary part of the message) and is drawn as a typed array; a
// changed list of strings the whole figure already has as {strings: [path...], at: {typed, buffer}}: the
// positions of its strings in the figure's lists at those paths, one after another.
import "./a11y.js";
import "./tables.css";
import { whenNear } from "./reach.js";

// The page's record of charts: plotly.js by version, and which charts have
// been drawn (`expected`, the charts the kernel displayed, comes from the
// library model; tests and benchmarks wait for expected ⊆ drawn).
const registry = (globalThis.__kamwidgetsCharts ??= { drawn: new Set(), expected: null, plotly: new Map() });
// Voila's page: charts further down wait for the reader (see `reached`); `waiting` holds their views,
// `drawWaiting()` starts them all (printing, tests) and returns how many it started.
registry.waiting ??= new Set();
registry.drawWaiting ??= () => {
  const started = registry.waiting.size;
  for (const view of [...registry.waiting]) view.start();
  return started;
};
if (!registry.printing) {
  registry.printing = true;
  window.addEventListener("beforeprint", () => {
    for (const view of [...registry.waiting]) {
      view.printed = true; // the note stays until the chart is drawn
      view.note.textContent = "This chart was not drawn yet when the page was printed. It is being drawn now: "
        + "print again in a moment to include it.";
      view.start();
    }
  });
}

// Resolves when the chart `view.el` is to be drawn: at once in the window; when the page is idle (no time
// limit: a chart out of the window never takes the page from what the reader sees) within a screen of it,
// or above it (the reader went past it before it arrived); else when the reader comes that near.
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
  // The library model is created before any chart; on a page being restored
  // it may still be registering: try again until it is there.
  for (let attempt = 0; ; attempt++) {
    try {
      return await model.widget_manager.get_model(id);
    } catch (err) {
      if (attempt >= 600) throw new Error(`the chart library (${id}) never arrived: ${err}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

// plotly.js for this page: the copy the lessons' page loads from the server (if it is the version the
// kernel's figures are made for), else the kernel's own, asked for once.
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
      performance.measure("kam:plotly", "kam:plotly-start"); // read by benchmarks/browser.py
      registry.from = "kernel";
      return exports;
    })();
    loading.catch(() => registry.plotly.delete(version));
    registry.plotly.set(version, loading);
  }
  return registry.plotly.get(version);
}

// plotly.min.js is a UMD bundle: given a `module`, it exports itself there.
function evaluate(source, version) {
  const module = { exports: {} };
  new Function("module", "exports", "define", `${source}\n//# sourceURL=kamwidgets-plotly-${version}.js`)(
    module, module.exports, undefined);
  return module.exports;
}

// The Jupyter server's copy (kamwidgets.lab serves it in JupyterLab, Notebook 7 and a hub's servers): it
// arrives while the kernel is still busy running the notebook. None when there is no such server (Voila on
// its own) or its plotly is not the kernel's.
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
    return null; // the kernel's copy will do
  }
}

// The chart's toolbar: no link to plotly's cloud (a portfolio stays on this machine) and no selection tools
// (nothing uses a selection); each button left is one more stop for a keyboard user.
const CONFIG = {
  displaylogo: false,
  responsive: false,
  showSendToCloud: false,
  showEditInChartStudio: false,
  modeBarButtonsToRemove: ["sendDataToCloud", "editInChartStudio", "select2d", "lasso2d"],
};

function setPath(target, path, value) {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i];
    if (node[key] === undefined || node[key] === null) node[key] = typeof path[i + 1] === "number" ? [] : {};
    node = node[key];
  }
  node[path[path.length - 1]] = value;
}

const TYPED = {
  int8: Int8Array, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array,
  int32: Int32Array, uint32: Uint32Array, float32: Float32Array, float64: Float64Array,
};

// A value of `_patch` as plotly.js takes it: {typed, buffer} becomes a typed array of its own bytes (copied:
// the message's bytes need not be aligned for the type), anything else is as sent.
function typedArray(value) {
  const Type = value && typeof value === "object" ? TYPED[value.typed] : undefined;
  const view = Type ? value.buffer : undefined;
  if (!view || !ArrayBuffer.isView(view)) return value;
  return new Type(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

function getPath(target, path) {
  let node = target;
  for (const key of path) node = node === undefined || node === null ? undefined : node[key];
  return node;
}

// A value of `_patch` that names strings of the whole figure: those strings, in a list (`figure` as sent
// whole, before any change). Anything else is as sent.
function stringsOf(value, figure) {
  const at = value && typeof value === "object" && Array.isArray(value.strings) ? typedArray(value.at) : null;
  if (!ArrayBuffer.isView(at)) return value;
  const pool = value.strings.flatMap((path) => getPath(figure, path) ?? []);
  return Array.from(at, (i) => pool[i]);
}

function figureOf(model) {
  const figure = JSON.parse(model.get("_spec") || "{}");
  const patch = model.get("_patch") || [];
  const values = patch.map(([, value]) => stringsOf(value, figure)); // read before anything is changed
  patch.forEach(([path], i) => setPath(figure, path, typedArray(values[i])));
  figure.data = figure.data || [];
  figure.layout = figure.layout || {};
  return figure;
}

// The numbers behind the chart, as a table the kernel writes when asked (for screen readers, and anyone
// who wants the figures): a button and the table's place, after the chart. Returns what stops it.
function numbersTable(model, el, uid) {
  const toggle = document.createElement("button");
  const table = document.createElement("div");
  table.id = `kam-chart-table-${uid}`;
  table.className = "kam-chart-table";
  toggle.type = "button";
  toggle.className = "kam-chart-table-toggle";
  toggle.setAttribute("aria-controls", table.id);
  toggle.style.cssText = "margin:2px 0 6px;padding:2px 10px;font-size:12px;cursor:pointer;border-radius:3px;"
    + "background:var(--jp-layout-color1,#fff);color:var(--jp-ui-font-color1,#222);"
    + "border:1px solid var(--jp-border-color1,#767676)";
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
    table.innerHTML = open ? model.get("_table") : "";  // escaped by the kernel (html_table)
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

// The chart's place (`plot`, and a `note` that says why it is empty while the chart waits) and its drawing:
// `schedule()` queues a redraw (several state changes in one message give one), `changed()` follows the
// model, `wait(stop)` keeps the place until the reader comes near (Voila's page, see `reached`).
// `plotly()` gives plotly.js (see `loadPlotly`), asked for only when a figure is drawn; `plotly.now()`: it
// if loaded, else null.
function chartPlace(model, el, plotly, uid) {
  const plot = document.createElement("div");
  const note = document.createElement("div");
  note.style.cssText = "position:absolute;top:0;left:0;padding:8px 12px;color:var(--jp-ui-font-color1,#1f1f1f)";
  el.style.position = "relative";
  el.append(note, plot);
  const place = { plot, note, drawing: Promise.resolve(), closed: false, fixed: false };
  let queued = false;
  let waiting = null; // this view, while it waits for the reader (see `reached`)
  let first = null; // the figure as read for the place a waiting chart keeps, for its first draw

  const draw = async () => {
    if (!model.get("_spec")) {  // no figure yet (e.g. a tab not opened): the place stays empty, no plotly.js
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
      return place.closed ? undefined : draw();
    });
  };
  // Waiting, the place keeps the chart's size, so that the page does not move when it is drawn.
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
    const view = (waiting = { uid, el, note });
    reached(view, stop).then(() => {
      waiting = null;
      if (!view.printed) note.textContent = "Drawing the chart\u2026";
      place.schedule();
    });
  };
  return place;
}

// plotly.js for a chart about to be drawn, or null (the place then says why).
async function plotlyOr(plotly, place, el, uid) {
  try {
    return await plotly();
  } catch (err) {
    failed(place, el, uid, err);
    return null;
  }
}

// The chart's place says why it could not be drawn.
function failed(place, el, uid, err) {
  drawn(place, el, uid, "error");
  place.plot.textContent = `This chart could not be drawn: ${err}`;
  console.error(err);
}

// The chart's place shows what was drawn (`state`: "ready" or "error"), without the note or the size it kept.
function drawn(place, el, uid, state) {
  place.note.remove();
  place.plot.style.minHeight = place.plot.style.minWidth = "";
  el.dataset.state = state;
  registry.drawn.add(uid);
}

// Draws `figure` (read from the model from `t0` on) into the chart's place.
async function drawFigure(Plotly, place, el, uid, figure, t0) {
  const t1 = performance.now();
  place.fixed = Boolean(figure.layout.width);
  el.style.width = place.fixed ? "" : "100%";
  try {
    await Plotly.react(place.plot, figure.data, figure.layout, CONFIG);
    drawn(place, el, uid, "ready");
    const t2 = performance.now(); // when the page last showed a change, and what it cost (benchmarks)
    performance.measure("kam:draw", { start: t0, end: t2 });
    Object.assign(el.dataset, { drawnAt: String(t2), readMs: (t1 - t0).toFixed(1), drawMs: (t2 - t1).toFixed(1) });
  } catch (err) {
    failed(place, el, uid, err);
  }
}

// A chart without a fixed width follows its box, e.g. when a hidden tab opens (`plotly()`: null until loaded).
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

export default {
  async render({ model, el }) {
    const uid = model.get("_uid");
    el.classList.add("kam-chart");
    el.dataset.uid = uid;
    el.dataset.state = "loading";
    // plotly.js, asked for when the chart is first drawn: Voila shows the page without waiting for it
    let Plotly = null;
    let loading = null;
    const plotly = () => (loading ??= loadPlotly(model).then((loaded) => (Plotly = loaded)));
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
  },
};
