/* Small-screen layout: the header's menu and the filters panel fold away on a phone.
 * Progressive enhancement: without JavaScript the menu stays open and the filters panel is an
 * open <details> above the results, so nothing is out of reach. */
(function () {
  "use strict";

  var small = window.matchMedia("(max-width: 899px)");

  function setupMenu() {
    var button = document.querySelector("[data-menu-toggle]");
    var menu = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) {
      return;
    }

    function set(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
    }

    button.hidden = false;
    set(false);
    button.addEventListener("click", function () {
      set(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        set(false);
        button.focus();
      }
    });
  }

  function setupFilters() {
    var panels = document.querySelectorAll("details[data-filters-panel]");

    function adapt() {
      panels.forEach(function (panel) {
        // A sidebar on wide screens (its summary is hidden), a folded panel on a phone unless
        // the filters need attention.
        panel.open = !small.matches || panel.hasAttribute("data-keep-open");
      });
    }

    if (panels.length) {
      adapt();
      small.addEventListener("change", adapt);
    }
  }

  function start() {
    setupMenu();
    setupFilters();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
