// ESLint for the workbook's JavaScript (`npm run lint`, run by .ci/test next to ruff): the widgets' front-end
// sources (kamwidgets/widgets/js, ES modules run in the page), the lessons' page script (jupyter-data) and the
// scripts the browser tests run in the page (tests/*.js). The built bundles (kamwidgets/widgets/static) are
// esbuild's output from those sources and are not linted again.
import js from "@eslint/js";
import globals from "globals";

export default [
  {
    ignores: [
      ".venv/",
      "build/",
      "dist/",
      "hub/",
      "workbook/",
      "kamwidgets/lessons/",
      "kamwidgets/widgets/static/",
      "**/.ipynb_checkpoints/",
    ],
  },
  js.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // a caught error that is not used is named anyway (`catch (err)`), as the code reads better with it
      "no-unused-vars": ["error", { caughtErrors: "none" }],
      eqeqeq: "error",
      "no-var": "error",
      "prefer-const": "error",
      // as the Python: no function over 60 lines of code
      "max-lines-per-function": ["error", { max: 60, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
  {
    files: ["kamwidgets/widgets/js/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.browser },
  },
  {
    files: ["jupyter-data/**/*.js", "tests/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "script", globals: globals.browser },
  },
  {
    files: ["eslint.config.js", "**/*.mjs"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.node },
  },
];
