// When something waiting on the page comes near the reader: shared by the tools that wait (later.js) and
// the charts that wait (chart.js).
//
// `whenNear(el, {inView, near, above, timeout})`, once `el` is on the page, calls `inView()` when it is in
// the window, `near()` when the page is idle and it is within a screen's height of the window (`timeout`:
// at the latest after that many ms), and `above()`, if given, when the page is idle and it is above the
// window (the reader went past it before it arrived). It returns a function that stops watching.

const idle = (task, timeout) =>
  window.requestIdleCallback ? window.requestIdleCallback(() => task(), timeout ? { timeout } : {}) : setTimeout(task, 200);

// The box that scrolls `el` (Voila's page scrolls the box of its cells), or null (the window). The
// margin of "near" counts only when that box is the observer's root.
function scroller(el) {
  const cells = el.closest("#rendered_cells");
  if (cells) return cells;
  for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
    const overflow = getComputedStyle(node).overflowY;
    if ((overflow === "auto" || overflow === "scroll") && node.scrollHeight > node.clientHeight) return node;
  }
  return null;
}

export function whenNear(el, { inView, near, above = null, timeout = 0 }) {
  let gone = false;
  let observers = [];
  const later = (task) => idle(() => gone || task(), timeout);
  const watch = (tries) => {
    if (gone) return;
    if (!el.isConnected) {
      // not on the page yet: look again each frame for ten seconds, then each second until it is
      if (tries < 600) requestAnimationFrame(() => watch(tries + 1));
      else setTimeout(() => watch(tries), 1000);
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
      rootMargin: "100% 0px",
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
