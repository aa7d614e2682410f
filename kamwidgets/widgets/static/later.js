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
  const later2 = (task) => idle(() => gone || task(), timeout);
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
        else if (above && box.height > 0 && e.rootBounds && box.bottom <= e.rootBounds.top) later2(above);
      }
    }, { root });
    const ahead = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && later2(near), {
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

// kamwidgets/widgets/js/later.js
var later = globalThis.__kamwidgetsLater ??= {
  marks: /* @__PURE__ */ new Set(),
  lastDrawn: -Infinity,
  // when a tool last took a placeholder's place (performance.now())
  drawAll() {
    for (const mark of this.marks) {
      try {
        mark.ask();
      } catch (err) {
        console.error(err);
      }
    }
    return this.marks.size;
  },
  pendingInView() {
    let n = 0;
    for (const mark of this.marks) {
      const box = mark.el.getBoundingClientRect();
      if (box.height > 0 && box.bottom > 0 && box.top < window.innerHeight) n += 1;
    }
    return n;
  }
};
if (!later.failed) {
  later.failed = [];
  const note = (what) => {
    if (later.failed.length < 10) later.failed.push(String(what).slice(0, 300));
  };
  window.addEventListener("error", (event) => note(event.message));
  window.addEventListener("unhandledrejection", (event) => note(event.reason && (event.reason.stack || event.reason)));
}
if (!later.printing) {
  later.printing = true;
  window.addEventListener("beforeprint", () => {
    const marks = [...later.marks];
    later.drawAll();
    for (const mark of marks) {
      mark.el.textContent = "This part of the lesson was not drawn yet when the page was printed. It is being drawn now: print again in a moment to include it.";
    }
  });
}
function listen(manager) {
  const kernel = manager && manager.kernel;
  if (later.heard || !kernel || !kernel.anyMessage || !kernel.iopubMessage) return;
  const heard = later.heard = { received: 0, handled: 0, closed: [] };
  kernel.anyMessage.connect((_, { msg, direction }) => {
    if (direction !== "recv" || msg.channel !== "iopub") return;
    heard.received += 1;
    if (msg.header.msg_type === "comm_close") heard.closed.push(msg.content.comm_id);
  });
  kernel.iopubMessage.connect(() => {
    heard.handled += 1;
  });
}
var ASKS = 4;
var ASK_AGAIN_MS = 5e3;
var KEEP_PLACE_MS = 3e3;
function firstControl(box) {
  const candidates = box.querySelectorAll("input, select, textarea, button, a[href], [tabindex]");
  for (const node of candidates) {
    if (node.classList.contains("kam-later") || node.disabled || node.getAttribute("tabindex") === "-1") continue;
    if (node.getClientRects().length === 0 || getComputedStyle(node).visibility === "hidden") continue;
    return node;
  }
  return null;
}
function scrollerOf(node) {
  for (let e = node.parentElement; e; e = e.parentElement) {
    const overflow = getComputedStyle(e).overflowY;
    if ((overflow === "auto" || overflow === "scroll") && e.scrollHeight > e.clientHeight) return e;
  }
  return document.scrollingElement;
}
function keepPlaceBelow(box, height) {
  const scroller2 = scrollerOf(box);
  const top = () => scroller2 === document.scrollingElement ? 0 : scroller2.getBoundingClientRect().top;
  const boxTop = box.getBoundingClientRect().top;
  if (!(boxTop < top() && boxTop + height > top())) return;
  let last = height;
  const watch = new ResizeObserver(() => {
    const now = box.getBoundingClientRect().height;
    if (box.getBoundingClientRect().top < top()) scroller2.scrollTop += now - last;
    last = now;
  });
  watch.observe(box);
  setTimeout(() => watch.disconnect(), KEEP_PLACE_MS);
}
function placeholder(model, view, el) {
  return {
    el,
    key: model.get("key"),
    // what the kernel's log calls it (KAMWIDGETS_LOG_DRAWS)
    asked: false,
    focused: false,
    box: null,
    tries: 0,
    retry: null,
    ask() {
      if (this.asked) return;
      this.asked = true;
      this.box = view.parentElement;
      this.height = this.box ? this.box.getBoundingClientRect().height : 0;
      el.textContent = "This part of the lesson is being drawn\u2026";
      this.send();
    },
    // The kernel draws a tool once and ignores a second ask, so asking again is safe: an ask sent while
    // the page's connection to the kernel was being made again can be lost, and the tool would never come.
    send() {
      this.tries += 1;
      model.send({ draw: true });
      this.retry = setTimeout(() => {
        if (!el.isConnected) return;
        if (this.tries < ASKS) this.send();
        else el.textContent = "This part of the lesson has not arrived. Reload the page to draw it (your work is kept).";
      }, ASK_AGAIN_MS * this.tries);
    }
  };
}
var later_default = {
  render({ model, el: view }) {
    const el = document.createElement("div");
    view.appendChild(el);
    el.className = "kam-later";
    el.tabIndex = 0;
    el.setAttribute("role", "status");
    el.style.cssText = "min-height:300px;box-sizing:border-box;padding:8px 12px;border:1px dashed #767676;color:var(--jp-ui-font-color1,#1f1f1f)";
    el.textContent = "This part of the lesson appears as you scroll to it.";
    const mark = placeholder(model, view, el);
    later.marks.add(mark);
    listen(model.widget_manager);
    const reached = () => {
      for (const other of later.marks) {
        if (other === mark || other.el.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) other.ask();
      }
    };
    const unwatch = whenNear(el, { inView: reached, near: reached, timeout: 2e3 });
    el.addEventListener("focus", () => {
      mark.focused = true;
      mark.ask();
    });
    el.addEventListener("blur", () => {
      setTimeout(() => {
        if (el.isConnected) mark.focused = false;
      }, 0);
    });
    return () => {
      unwatch();
      clearTimeout(mark.retry);
      later.marks.delete(mark);
      later.lastDrawn = performance.now();
      const box = mark.box;
      if (box && box.isConnected) keepPlaceBelow(box, mark.height);
      if (!mark.focused || !box) return;
      if (document.activeElement && document.activeElement !== document.body && document.activeElement !== el) return;
      const deadline = performance.now() + 1e4;
      const focusTool = () => {
        const current = document.activeElement;
        if (current && current !== document.body) return;
        const first = box && firstControl(box);
        if (first) first.focus();
        else if (performance.now() < deadline) setTimeout(focusTool, 50);
      };
      setTimeout(focusTool, 0);
    };
  }
};
export {
  later_default as default
};
