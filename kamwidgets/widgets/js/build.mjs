// Builds the widgets' front-end modules: each entry below, with the modules and styles it imports, becomes one
// ES module (static/NAME.js) and one style sheet (static/NAME.css, when it imports any) that a widget class
// sends as its `_esm` and `_css` (kamwidgets/widgets/_front_end.py).
//
//   npm ci && npm run build            (from the top of the checkout; writes kamwidgets/widgets/static/)
//   node kamwidgets/widgets/js/build.mjs OUTDIR      (somewhere else: tests/test_front_end.py compares)
//
// Why a bundler: several widgets share code (the accessibility step, the lost-kernel notice, "near the
// reader"), and a widget's module reaches the page as one text, with nowhere to import a sibling from.
// esbuild joins real ES imports into one module per widget, leaves out the comments (every chart's model
// carries its module to the page), and keeps the code as written otherwise (no minifying), so what the page
// runs reads like the sources. The bundles are committed: installing or running the workbook needs no Node.
import { build } from "esbuild";
import { readdir, rm } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const top = resolve(here, "../../..");

//: One per widget class that has a front end.
export const ENTRIES = ["chart", "files", "later", "library", "page_helper", "workbook"];

const outdir = resolve(process.argv[2] ?? join(here, "..", "static"));
const source = relative(top, here);
await rm(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: top, // the file names in the bundles' comments are the same wherever this runs
  entryPoints: ENTRIES.map((name) => join(source, `${name}.js`)),
  outdir,
  bundle: true,
  format: "esm",
  legalComments: "none",
  charset: "ascii",
  banner: {
    js: `// Built from ${source}/ by \`npm run build\` (esbuild): edit the sources there.`,
    css: `/* Built from ${source}/ by \`npm run build\` (esbuild): edit the sources there. */`,
  },
  logLevel: "warning",
});
console.log(`${(await readdir(outdir)).length} files in ${relative(top, outdir) || outdir}`);
