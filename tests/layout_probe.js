// What a reader would find cut, on top of each other, or outside its box (the browser tests' layout check).
() => {
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) return false;
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === "none" || s.visibility === "hidden" || parseFloat(s.opacity) === 0) return false;
    }
    return true;
  };
  const problems = [];
  // 1. labels whose text is wider (or taller) than their box, and so cut
  const LABELS =
    ".widget-label, label, button, .widget-html-content, .lm-TabBar-tabLabel, .jupyter-widget-Collapse-header, th";
  for (const el of new Set(document.querySelectorAll(`.jupyter-widgets :is(${LABELS})`))) {
    const text = (el.innerText || "").trim();
    if (!text || !visible(el)) continue;
    const s = getComputedStyle(el);
    const cutX = el.scrollWidth > el.clientWidth + 1 && (s.overflowX !== "visible" || s.textOverflow === "ellipsis");
    const cutY = el.scrollHeight > el.clientHeight + 1 && (s.overflowY === "hidden" || s.overflowY === "clip");
    if (cutX || cutY) problems.push(`cut label: "${text.slice(0, 60)}" (${el.scrollWidth}px in ${el.clientWidth}px)`);
  }
  // 2. chart texts on top of each other (more than 20 % of the smaller), 3. outside their output
  for (const chart of document.querySelectorAll(".kam-chart")) {
    if (!visible(chart)) continue;
    const title = ((chart.querySelector(".gtitle") || {}).textContent || "a chart").slice(0, 50);
    const boxes = [...chart.querySelectorAll("svg text")]
      .filter((t) => (t.textContent || "").trim() && visible(t))
      .map((t) => ({ text: t.textContent.trim().slice(0, 40), r: t.getBoundingClientRect() }));
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].r, b = boxes[j].r;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w <= 0 || h <= 0) continue;
        const smaller = Math.max(1, Math.min(a.width * a.height, b.width * b.height));
        if ((w * h) / smaller > 0.2) problems.push(`overlap in "${title}": "${boxes[i].text}" / "${boxes[j].text}"`);
      }
    }
    const out = (chart.closest(".jp-OutputArea-output") || chart).getBoundingClientRect();
    for (const { text, r } of boxes) {
      if (r.left < out.left - 1 || r.right > out.right + 1 || r.top < out.top - 1 || r.bottom > out.bottom + 1) {
        problems.push(`outside its output in "${title}": "${text}"`);
      }
    }
  }
  // 4. widgets wider than the page (a reader would have to scroll sideways, or would not see them at all);
  //    tables and grids inside their own scrolling box are fine
  const page = document.documentElement.clientWidth;
  for (const el of document.querySelectorAll(".jp-OutputArea-output .jupyter-widgets")) {
    if (el.offsetParent === null || el.closest(".kam-scroll")) continue;
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > page + 1) {
      problems.push(`wider than the page: ${el.className.split(" ").filter(c => c.startsWith("widget-"))[0] || "widget"}`
        + ` "${(el.innerText || "").trim().slice(0, 40)}" (right edge ${Math.round(r.right)}px of ${page}px)`);
    }
  }
  return problems;
}
