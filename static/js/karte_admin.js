/* The admin's position maps (django-leaflet): the same local background and "Stadtplan laden"
   button as the public maps (stadtplan.js). Staff decide per browser like every visitor; the
   work context is no consent to send their address to a third party. */
(function () {
  "use strict";
  window.addEventListener("map:init", function (ereignis) {
    var quelle = document.getElementById("karten-einstellungen");
    if (!quelle || typeof window.atlasStadtplan !== "function") return;
    var karte = ereignis.detail.map;
    window.atlasStadtplan(karte, JSON.parse(quelle.textContent), karte.getContainer());
  });
})();
