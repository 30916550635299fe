/* The few interactive Bootstrap Italia components that Sportello's pages use, without the 1 MB bundle:
   the mobile main menu (data-bs-toggle="navbarcollapsible"), dropdowns (data-bs-toggle="dropdown") and
   collapsible sections (data-bs-toggle="collapse"). Everything else works without JavaScript.
   core/tests/test_frontend.py fails if a template uses a data-bs-toggle that this file does not handle. */
(function () {
  "use strict";
  var ESCAPE = "Escape";

  function targetOf(toggle) {
    var selector = toggle.getAttribute("data-bs-target") || toggle.getAttribute("href");
    return selector && selector.charAt(0) === "#" ? document.querySelector(selector) : null;
  }

  /* Mobile main menu: Bootstrap Italia slides .navbar-collapsable in when it is shown and has .expanded. */
  document.querySelectorAll('[data-bs-toggle="navbarcollapsible"]').forEach(function (toggle) {
    var menu = targetOf(toggle);
    if (!menu) { return; }
    var overlay = menu.querySelector(".overlay");
    var closer = menu.querySelector(".close-menu");
    function open() {
      menu.style.display = "block";
      if (overlay) { overlay.style.display = "block"; }
      window.requestAnimationFrame(function () {
        menu.classList.add("expanded");
        if (overlay) { overlay.classList.add("show"); }
      });
      toggle.setAttribute("aria-expanded", "true");
      var first = menu.querySelector(".menu-wrapper a, .menu-wrapper button");
      if (first) { first.focus(); }
    }
    function close() {
      menu.classList.remove("expanded");
      if (overlay) { overlay.classList.remove("show"); }
      toggle.setAttribute("aria-expanded", "false");
      window.setTimeout(function () {
        menu.style.display = "";
        if (overlay) { overlay.style.display = ""; }
      }, 300);
      toggle.focus();
    }
    toggle.addEventListener("click", open);
    if (closer) { closer.addEventListener("click", close); }
    if (overlay) { overlay.addEventListener("click", close); }
    document.addEventListener("keydown", function (event) {
      if (event.key === ESCAPE && menu.classList.contains("expanded")) { close(); }
    });
  });

  /* Dropdowns: the menu is the toggle's sibling .dropdown-menu, placed by Bootstrap's static CSS. */
  document.querySelectorAll('[data-bs-toggle="dropdown"]').forEach(function (toggle) {
    var container = toggle.parentElement;
    var menu = container.querySelector(".dropdown-menu");
    if (!menu) { return; }
    function set(open) {
      menu.classList.toggle("show", open);
      if (open) { menu.setAttribute("data-bs-popper", "static"); } else { menu.removeAttribute("data-bs-popper"); }
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    toggle.addEventListener("click", function (event) {
      event.preventDefault();
      set(!menu.classList.contains("show"));
    });
    document.addEventListener("click", function (event) {
      if (!container.contains(event.target)) { set(false); }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === ESCAPE && menu.classList.contains("show")) { set(false); toggle.focus(); }
    });
  });

  /* Collapsible sections. */
  document.querySelectorAll('[data-bs-toggle="collapse"]').forEach(function (toggle) {
    var section = targetOf(toggle);
    if (!section) { return; }
    toggle.addEventListener("click", function (event) {
      event.preventDefault();
      var open = !section.classList.contains("show");
      section.classList.toggle("show", open);
      toggle.classList.toggle("collapsed", !open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  });
})();
