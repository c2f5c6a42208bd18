/* "Drucken" on a detail page: shown only where a script can open the print dialogue. Without
   JavaScript it stays hidden, no dead button; the browser's own print command works as ever. */
(function () {
  "use strict";
  if (typeof window.print !== "function") return;
  document.querySelectorAll(".js-drucken").forEach(function (knopf) {
    knopf.hidden = false;
    knopf.addEventListener("click", function () {
      window.print();
    });
  });
})();
