// `make lint` runs ESLint (pinned in package.json) over the site's JavaScript and its
// Node unit tests. Plain scripts for the browser (no bundler, no modules), each
// of docs/javascripts/lib/ also loadable by Node's require().
import js from "@eslint/js";

const readonly = (names) => Object.fromEntries(names.map((name) => [name, "readonly"]));
const BROWSER = readonly([
  "window", "document", "localStorage", "AbortController", "Option", "getComputedStyle",
  "setInterval", "clearInterval", "structuredClone", "module",
]);
const NODE = readonly(["require", "module", "process", "__dirname"]);

export default [
  js.configs.recommended,
  {
    files: ["**/*.js"],
    languageOptions: { ecmaVersion: 2023, sourceType: "script", globals: BROWSER },
    rules: {
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-var": "error",
      "prefer-const": "error",
      "no-shadow": "error",
      "no-unused-vars": ["error", { args: "after-used" }],
      // Names say what they hold: one letter only for an index, a coordinate, a
      // value or weight in a one-line function, a comparator's pair, and the
      // param, state and group objects of schedules.js (PyTorch's own names).
      "id-length": ["error", { min: 2, properties: "never", exceptions: ["i", "j", "x", "y", "a", "b", "e", "p", "s", "g", "h", "T", "v", "w", "t", "_"] }],
      // Untrusted text goes in with textContent, never as HTML.
      "no-restricted-properties": ["error",
        { property: "innerHTML", message: "Set textContent; build elements for markup." },
        { property: "outerHTML", message: "Set textContent; build elements for markup." },
        { property: "insertAdjacentHTML", message: "Set textContent; build elements for markup." }],
      "no-restricted-syntax": ["error", {
        selector: "CallExpression[callee.object.name='document'][callee.property.name='write']",
        message: "document.write writes HTML.",
      }],
    },
  },
  {
    files: ["tests/js/**/*.js"],
    languageOptions: { sourceType: "commonjs", globals: NODE },
  },
];
