// Where a tool will be drawn (see _later.py): a box of about a tool's height that asks the kernel for
// the tool when it comes within a screen's height of the window, or when it gets the keyboard focus.
// The kernel then puts the tool in its place and this view goes away.
//
// `globalThis.__kamwidgetsLater` lists the placeholders on the page: `drawAll()` asks for every tool
// and returns how many are still on the page (the browser tests, before they look at a whole lesson),
// `pendingInView()` counts those in the window still waiting (the benchmark's "first screen").
import "./a11y.js";
import { whenNear } from "./reach.js";

const later = (globalThis.__kamwidgetsLater ??= {
  marks: new Set(),
  lastDrawn: -Infinity, // when a tool last took a placeholder's place (performance.now())
  drawAll() {
    for (const mark of this.marks) {
      try {
        mark.ask();
      } catch (err) {
        console.error(err); // the kernel has gone (culled, restarted): the others are still asked
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
  },
});

// What failed on the page without a word on it (an error thrown, or a promise rejected, that nothing caught),
// the first few: read with what the page heard (see `listen`) when a page never completes.
if (!later.failed) {
  later.failed = [];
  const note = (what) => {
    if (later.failed.length < 10) later.failed.push(String(what).slice(0, 300));
  };
  window.addEventListener("error", (event) => note(event.message));
  window.addEventListener("unhandledrejection", (event) => note(event.reason && (event.reason.stack || event.reason)));
}

// Printing: a tool not drawn yet would print as its placeholder. Ask for every one, and say so on the
// paper (the page's print starts at once; the tools arrive a moment later for the next print).
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

// What the page heard from its kernel since its first placeholder was drawn (read by the browser tests when a
// page never completes): the kernel's broadcasts (iopub) received and handled (the page handles them one
// after another, in order), and the comms a message closed (a placeholder's comm closes once the kernel has
// drawn its tool).  The kernel's side is in the server's log (KAMWIDGETS_LOG_DRAWS): together they tell a
// reply lost on the way from one the page never got to.
function listen(manager) {
  const kernel = manager && manager.kernel;
  if (later.heard || !kernel || !kernel.anyMessage || !kernel.iopubMessage) return;
  const heard = (later.heard = { received: 0, handled: 0, closed: [] });
  kernel.anyMessage.connect((_, { msg, direction }) => {
    if (direction !== "recv" || msg.channel !== "iopub") return;
    heard.received += 1;
    if (msg.header.msg_type === "comm_close") heard.closed.push(msg.content.comm_id);
  });
  kernel.iopubMessage.connect(() => {
    heard.handled += 1;
  });
}

// How often a placeholder asks for its tool, and how long it waits for it after its first ask (then twice, ...).
const ASKS = 4;
const ASK_AGAIN_MS = 5000;
// How long the page keeps the reader's place while a tool drawn above them is laid out (its charts drawn).
const KEEP_PLACE_MS = 3000;

// The first control in `box` a reader can reach with Tab (shown, enabled, not taken out of the Tab order).
function firstControl(box) {
  const candidates = box.querySelectorAll("input, select, textarea, button, a[href], [tabindex]");
  for (const node of candidates) {
    if (node.classList.contains("kam-later") || node.disabled || node.getAttribute("tabindex") === "-1") continue;
    if (node.getClientRects().length === 0 || getComputedStyle(node).visibility === "hidden") continue;
    return node;
  }
  return null;
}

// The element that scrolls the page around `node` (Voila's cells, else the document).
function scrollerOf(node) {
  for (let e = node.parentElement; e; e = e.parentElement) {
    const overflow = getComputedStyle(e).overflowY;
    if ((overflow === "auto" || overflow === "scroll") && e.scrollHeight > e.clientHeight) return e;
  }
  return document.scrollingElement;
}

// A tool that takes the place of a placeholder the reader sees only the lower part of (after a jump) grows
// above what they are reading: for a moment after, every change of its height scrolls the page by as much, so
// that what the reader sees below it stays put.  The browser's own scroll anchoring keeps their place when a
// tool wholly above the window grows, but here it anchors inside the growing box.
function keepPlaceBelow(box, height) {
  const scroller = scrollerOf(box);
  const top = () => (scroller === document.scrollingElement ? 0 : scroller.getBoundingClientRect().top);
  const boxTop = box.getBoundingClientRect().top;
  if (!(boxTop < top() && boxTop + height > top())) return; // wholly above, or in the window from its top
  let last = height;
  const watch = new ResizeObserver(() => {
    const now = box.getBoundingClientRect().height;
    if (box.getBoundingClientRect().top < top()) scroller.scrollTop += now - last;
    last = now;
  });
  watch.observe(box);
  setTimeout(() => watch.disconnect(), KEEP_PLACE_MS);
}

// The placeholder's state: whether (and how often) it has asked the kernel for its tool.
function placeholder(model, view, el) {
  return {
    el,
    key: model.get("key"), // what the kernel's log calls it (KAMWIDGETS_LOG_DRAWS)
    asked: false,
    focused: false,
    box: null,
    tries: 0,
    retry: null,
    ask() {
      if (this.asked) return;
      this.asked = true;
      this.box = view.parentElement; // the tool is drawn in the same box
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
    },
  };
}

export default {
  render({ model, el: view }) {
    // styled inside the view's element: the widget's layout clears that element's own size and border
    const el = document.createElement("div");
    view.appendChild(el);
    el.className = "kam-later";
    el.tabIndex = 0; // a Tab stop where the tool's controls will be; the focus draws it
    el.setAttribute("role", "status");
    el.style.cssText =
      "min-height:300px;box-sizing:border-box;padding:8px 12px;" +
      "border:1px dashed #767676;color:var(--jp-ui-font-color1,#1f1f1f)";
    el.textContent = "This part of the lesson appears as you scroll to it.";
    const mark = placeholder(model, view, el);
    later.marks.add(mark);
    listen(model.widget_manager);
    // Near the window: this one, and every one above it (a reader who jumped past them has reached them).
    const reached = () => {
      for (const other of later.marks) {
        if (other === mark || other.el.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) other.ask();
      }
    };
    // In the window: at once. Within a screen's height of it: when the page is idle (within two seconds), so
    // that drawing ahead never delays what the reader already sees.
    const unwatch = whenNear(el, { inView: reached, near: reached, timeout: 2000 });
    el.addEventListener("focus", () => {
      mark.focused = true;
      mark.ask();
    });
    el.addEventListener("blur", () => {
      // leaving it by Tab or click, not because the tool took its place
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
      // the reader was on the placeholder: take them to the tool's first control once it is drawn
      if (!mark.focused || !box) return;
      if (document.activeElement && document.activeElement !== document.body && document.activeElement !== el) return;
      // (a big tool's controls may take a while to be laid out; the reader may also have moved on meanwhile)
      const deadline = performance.now() + 10000;
      const focusTool = () => {
        const current = document.activeElement;
        if (current && current !== document.body) return;
        const first = box && firstControl(box);
        if (first) first.focus();
        else if (performance.now() < deadline) setTimeout(focusTool, 50);
      };
      setTimeout(focusTool, 0);
    };
  },
};
