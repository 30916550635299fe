// PurgeCSS configuration of `make css`: the Bootstrap Italia rules that Sportello's pages use.
// Content: every template, our JavaScript and the Python that sets CSS classes (form widgets, badges).
// Safelist: classes that Bootstrap Italia's JavaScript adds at run time (menus, dropdowns, collapses, focus).
const site = process.env.BI_STATIC;
module.exports = {
  css: [`${site}/css/bootstrap-italia.min.css`],
  content: [
    "src/sportello/**/templates/**/*.html",
    "src/sportello/**/static/**/*.js",
    "src/sportello/**/*.py",
  ],
  defaultExtractor: (content) => content.match(/[\w-/:%.]+(?<!:)/g) || [],
  safelist: {
    standard: [
      "show", "showing", "hiding", "collapsing", "collapse", "collapsed", "expanded", "active", "disabled",
      "fade", "focus--mouse", "focus--keyboard", "visually-hidden-focusable", "modal-backdrop", "offcanvas-backdrop",
      "is-open", "is-invalid", "is-valid", "was-validated", "dropdown-menu-end", "text-truncate",
    ],
    deep: [/^navbar/, /^dropdown/, /^it-header/, /^it-nav/, /^close-div/, /^overlay/, /^menu-wrapper/, /^skiplink/],
    greedy: [/data-bs-popper/, /data-focus-mouse/, /aria-expanded/],
  },
  fontFace: false,
  keyframes: true,
  variables: false,
};
