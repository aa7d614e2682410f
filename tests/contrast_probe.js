// Text of the workbook's widgets with too little contrast against what is behind it (WCAG 2.1 AA:
// 4.5:1, or 3:1 for large text), one line each.  axe-core leaves much of it "to review" (text over
// widgets it cannot see through); this walks up to the first opaque background instead.
() => {
  const rgba = (text) => {
    const m = text.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const luminance = ({ r, g, b }) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const background = (el) => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour && colour.a > 0) {
        layers.push(colour);
        if (colour.a >= 1) break;
      }
    }
    let result = { r: 255, g: 255, b: 255, a: 1 };
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const problems = [];
  const seen = new Set();
  for (const el of document.querySelectorAll(".jp-OutputArea-output .jupyter-widgets *, .jp-OutputArea-output .kam-table *")) {
    if (el.closest("svg") || el.offsetParent === null) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || Number(style.opacity) === 0) continue;
    const fg = rgba(style.color);
    if (!fg) continue;
    const bg = background(el);
    const text = over(fg, bg);
    const [a, b] = [luminance(text), luminance(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      const words = el.textContent.trim().slice(0, 40);
      const key = `${words}|${style.color}|${ratio.toFixed(1)}`;
      if (!seen.has(key)) {
        seen.add(key);
        problems.push(`contrast ${ratio.toFixed(2)}:1 for "${words}" (${style.color} on rgb(${Math.round(bg.r)},${Math.round(bg.g)},${Math.round(bg.b)}))`);
      }
    }
  }
  return problems;
}
