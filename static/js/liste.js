/* The filter form of a list is a <details>: its summary opens and closes it at every width, so it
   works without JavaScript. On a wide screen there is room beside the results: open it there. */
(function () {
  "use strict";
  var filter = document.querySelector("details.filter");
  if (!filter || !window.matchMedia) return;
  var breit = window.matchMedia("(min-width: 60rem)");
  function oeffnen() {
    if (breit.matches) filter.open = true;
  }
  oeffnen();
  breit.addEventListener("change", oeffnen);
})();
