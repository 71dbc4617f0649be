// Progressive enhancements for every page; each page works without them.
(function () {
  "use strict";

  // The menu: open on wide screens also in browsers without ::details-content;
  // one role group open at a time, closed by Escape or a click elsewhere.
  var wide = window.matchMedia("(min-width: 992px)");
  function keepMenuOpen() {
    if (!wide.matches) return;
    document.querySelectorAll("[data-site-menu]").forEach(function (menu) { menu.open = true; });
  }
  function groups() { return document.querySelectorAll(".nav-group > details"); }
  function closeGroups(except) {
    groups().forEach(function (group) { if (group !== except) group.open = false; });
  }

  // A wide table scrolls in its own region; a region that scrolls gets a name and a tab
  // stop so a keyboard can scroll it (WCAG 2.1.1, axe scrollable-region-focusable).
  function labelScrollRegions() {
    document.querySelectorAll(".table-responsive").forEach(function (region) {
      if (region.scrollWidth > region.clientWidth + 1) {
        if (!region.hasAttribute("tabindex")) region.setAttribute("tabindex", "0");
        if (!region.hasAttribute("role")) region.setAttribute("role", "region");
        if (!region.hasAttribute("aria-label") && !region.hasAttribute("aria-labelledby")) {
          var caption = region.querySelector("caption");
          var heading = caption ? null : region.closest("section, main") &&
            region.closest("section, main").querySelector("h1, h2, h3");
          var name = (caption || heading || {}).textContent;
          region.setAttribute("aria-label", (name || document.title).trim());
        }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    keepMenuOpen();
    labelScrollRegions();
    groups().forEach(function (group) {
      group.addEventListener("toggle", function () { if (group.open) closeGroups(group); });
    });
    // After a failed submit the summary of errors takes the focus (WCAG 3.3.1).
    var summary = document.querySelector("[data-error-summary]");
    if (summary && document.activeElement !== summary) summary.focus();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    groups().forEach(function (group) {
      if (group.open) {
        group.open = false;
        group.querySelector("summary").focus();
      }
    });
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest(".nav-group")) closeGroups(null);
  });
  wide.addEventListener("change", keepMenuOpen);
  window.addEventListener("resize", labelScrollRegions);
})();
