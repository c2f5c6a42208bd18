/* "Meinen Standort verwenden": fills lat/lon from the browser and submits the search form.
   Without JavaScript the button stays hidden and PLZ/Ort work as before. */
(function () {
  "use strict";
  if (!("geolocation" in navigator)) return;
  document.querySelectorAll(".js-standort").forEach(function (knopf) {
    var form = knopf.form;
    knopf.hidden = false;
    knopf.addEventListener("click", function () {
      knopf.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          form.elements.lat.value = position.coords.latitude.toFixed(5);
          form.elements.lon.value = position.coords.longitude.toFixed(5);
          form.elements.wo.value = "";
          form.submit();
        },
        function () {
          knopf.disabled = false;
          var meldung = document.createElement("span");
          meldung.className = "hilfe";
          meldung.setAttribute("role", "status");
          meldung.textContent = knopf.dataset.fehler;
          knopf.after(meldung);
        },
        { timeout: 10000, maximumAge: 600000 }
      );
    });
  });
  // A typed place replaces an earlier browser position.
  document.querySelectorAll("form.suche").forEach(function (form) {
    if (!form.elements.wo) return;
    form.elements.wo.addEventListener("input", function () {
      form.elements.lat.value = "";
      form.elements.lon.value = "";
    });
  });
})();
