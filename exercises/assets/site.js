/* Accessibility repairs to the theme's own controls (pydata-sphinx-theme / sphinx-book-theme),
 * which axe-core reports on every page (WCAG 2.5.3, "label in name"):
 * - the search buttons are named "Search" but show "Search Ctrl+K": name them by what they show;
 * - the colour-mode button is named "Color mode" but its icons (made into <svg> with <title> by
 *   Font Awesome, possibly after this script runs) add the words "Light", "Dark" and "System
 *   Settings": the icons are decoration, so drop their titles and hide them from assistive
 *   technology (the button's name stays "Color mode");
 * - sphinx-togglebutton names its buttons "Toggle hidden content" whatever they show: when a
 *   button shows text, let that text name it.
 * Runs once the DOM is ready and again whenever Font Awesome swaps an icon in.
 */
(function () {
  "use strict";

  function repair(root) {
    var buttons = root.querySelectorAll(".search-button__button[aria-label]");
    for (var i = 0; i < buttons.length; i++) {
      var shown = buttons[i].textContent.replace(/\s+/g, " ").replace(/\s*\+\s*/g, "+").trim();
      if (shown && buttons[i].getAttribute("aria-label") !== shown) buttons[i].setAttribute("aria-label", shown);
    }
    var toggles = root.querySelectorAll('[aria-label="Toggle hidden content"]');
    for (var t = 0; t < toggles.length; t++) {
      if (toggles[t].textContent.trim()) toggles[t].removeAttribute("aria-label");
    }
    var icons = root.querySelectorAll(".theme-switch-button svg, .theme-switch-button i");
    for (var j = 0; j < icons.length; j++) {
      var icon = icons[j];
      if (icon.getAttribute("aria-hidden") !== "true") icon.setAttribute("aria-hidden", "true");
      if (icon.hasAttribute("aria-labelledby")) icon.removeAttribute("aria-labelledby");
      if (icon.hasAttribute("title")) icon.removeAttribute("title");
      var titles = icon.querySelectorAll("title");
      for (var k = 0; k < titles.length; k++) titles[k].remove();
    }
  }

  function start() {
    repair(document);
    var targets = document.querySelectorAll(".theme-switch-button, .search-button__button");
    if (!window.MutationObserver) return;
    var observer = new MutationObserver(function () { repair(document); });
    for (var i = 0; i < targets.length; i++) observer.observe(targets[i], { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
