/* The filter form of a list, and its search form after a search, are <details>: closed as sent,
   so that on a phone the results come first, and a summary opens them without JavaScript. A wide
   screen has room for both above and beside the results: open them there. */
(function () {
  "use strict";
  var teile = document.querySelectorAll("details.filter, details.suche-klappe");
  if (!teile.length || !window.matchMedia) return;
  var breit = window.matchMedia("(min-width: 60rem)");
  function oeffnen() {
    if (breit.matches) teile.forEach(function (teil) { teil.open = true; });
  }
  oeffnen();
  breit.addEventListener("change", oeffnen);
})();
