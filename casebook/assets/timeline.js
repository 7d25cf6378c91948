/* Case timeline (exercises/timeline.py): filters for the static site.
 *
 * The timeline is plain HTML: a real list, readable with no script. This file only reveals the
 * controls (hidden by default) and wires them: theme check boxes, a period select, a button that
 * opens or closes every source, and a reset. The status line is a polite live region, so a
 * screen reader hears how many events are shown. No network, no dependencies, safe on pages
 * without a timeline and when loaded twice.
 */
(function () {
  "use strict";

  function init(root) {
    if (root.getAttribute("data-tl-ready") === "1") return;
    root.setAttribute("data-tl-ready", "1");

    var controls = root.querySelector(".tl-controls");
    var boxes = Array.prototype.slice.call(root.querySelectorAll(".tl-themes input[type=checkbox]"));
    var period = root.querySelector(".tl-period-select");
    var expand = root.querySelector(".tl-expand");
    var reset = root.querySelector(".tl-reset");
    var status = root.querySelector(".tl-status");
    var empty = root.querySelector(".tl-empty");
    var items = Array.prototype.slice.call(root.querySelectorAll("li.tl-event"));
    var total = items.length;
    if (!controls || !period || !status) return;
    controls.hidden = false;

    function visible() {
      return items.filter(function (li) { return !li.hidden; });
    }

    function apply() {
      var themes = {};
      boxes.forEach(function (b) { themes[b.value] = b.checked; });
      var p = period.value;
      var shown = 0;
      items.forEach(function (li) {
        var ok = themes[li.getAttribute("data-theme")] !== false &&
          (p === "all" || li.getAttribute("data-period") === p);
        li.hidden = !ok;
        if (ok) shown += 1;
      });
      if (empty) empty.hidden = shown !== 0;
      var periodText = p === "all" ? "" : " in " + period.options[period.selectedIndex].text.replace(/\s*\(\d+\)$/, "");
      status.textContent = "Showing " + shown + " of " + total + " events" + periodText + ", oldest first.";
      syncExpand();
    }

    function syncExpand() {
      if (!expand) return;
      var shown = visible();
      var allOpen = shown.length > 0 && shown.every(function (li) {
        var d = li.querySelector("details");
        return !d || d.open;
      });
      expand.setAttribute("aria-pressed", allOpen ? "true" : "false");
      expand.textContent = allOpen ? "Close all sources" : "Open all sources";
    }

    boxes.forEach(function (b) { b.addEventListener("change", apply); });
    period.addEventListener("change", apply);
    if (expand) {
      expand.addEventListener("click", function () {
        var open = expand.getAttribute("aria-pressed") !== "true";
        visible().forEach(function (li) {
          var d = li.querySelector("details");
          if (d) d.open = open;
        });
        syncExpand();
      });
    }
    if (reset) {
      reset.addEventListener("click", function () {
        boxes.forEach(function (b) { b.checked = true; });
        period.value = "all";
        apply();
      });
    }
    items.forEach(function (li) {
      var d = li.querySelector("details");
      if (d) d.addEventListener("toggle", syncExpand);
    });
    apply();
  }

  function start() {
    var roots = document.querySelectorAll(".tl-timeline");
    for (var i = 0; i < roots.length; i++) {
      if (!roots[i].classList.contains("tl-widget")) init(roots[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
