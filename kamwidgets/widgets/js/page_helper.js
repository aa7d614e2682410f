// The page helper (PageHelper in _chart.py): nothing to see, added to every workbook tool. It brings the
// page's accessibility step, the lost-kernel notice, and the styles of the HTML the tools write (their
// tables, the classification bench's bucket tabs).
import "./a11y.js";
import "./connection.js";
import "./tables.css";
import "./buckets.css";

export default {
  render({ el }) {
    el.style.display = "none";
  },
};
