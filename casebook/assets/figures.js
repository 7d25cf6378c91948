// Fallback for the figures' year/scenario switcher (exercises/figures) in browsers without CSS
// :has(). Where :has() works, figures.css alone does the job and this script does nothing.
(function () {
  "use strict";
  if (window.CSS && CSS.supports && CSS.supports("selector(:has(*))")) return;
  function wire(fig) {
    var panels = fig.querySelectorAll(".ttpfig-panel");
    function sync() {
      var on = fig.querySelector(".ttpfig-choices input:checked");
      var i = on ? on.getAttribute("data-i") : "0";
      panels.forEach(function (p) { p.hidden = p.getAttribute("data-i") !== i; });
    }
    fig.setAttribute("data-ttpfig-js", "");
    fig.addEventListener("change", sync);
    sync();
  }
  function init() { document.querySelectorAll(".ttpfig").forEach(wire); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
