/* Map as a progressive enhancement beside the list. Data comes from the JSON endpoint that uses
   the list's FilterSet (data-url) or from a json_script block in the page (data-daten); popups
   are built from DOM nodes with textContent only. The same code shows offerings, actors and
   networks: data-schluessel names the popup list in the JSON, data-einheit the cluster label. */
(function () {
  "use strict";
  var element = document.getElementById("karte");
  if (!element || typeof L === "undefined" || typeof window.atlasStadtplan !== "function") return;
  var einstellungen = JSON.parse(document.getElementById("karten-einstellungen").textContent);
  // The texts come translated from the page (atlas.listen.karten_einstellungen).
  var texte = einstellungen.texte;
  // Right to left (ar, fa): the controls change sides like the page does.
  var rtl = document.documentElement.dir === "rtl";
  var einheit = " " + (element.dataset.einheit || texte.einheit);
  var schluessel = element.dataset.schluessel || "angebote";

  element.textContent = "";
  var karte = L.map(element, { zoomControl: false, attributionControl: false, keyboard: true });
  L.control.zoom({ position: rtl ? "topright" : "topleft", zoomInTitle: texte.plus, zoomOutTitle: texte.minus }).addTo(karte);
  L.control.attribution({ position: rtl ? "bottomleft" : "bottomright", prefix: false }).addTo(karte);
  // Background: the local outline; city map tiles only after consent or from the own host
  // (stadtplan.js).
  var stadtplan = window.atlasStadtplan(karte, einstellungen, element);

  function text(tag, inhalt) {
    var knoten = document.createElement(tag);
    knoten.textContent = inhalt;
    return knoten;
  }

  function link(url, inhalt) {
    var a = text("a", inhalt);
    a.href = url;
    return a;
  }

  // Detail page: one marker.
  if (element.dataset.punktLat) {
    var punkt = [parseFloat(element.dataset.punktLat), parseFloat(element.dataset.punktLon)];
    // On the outline alone a street-level zoom would show an empty area: the region instead.
    karte.setView(punkt, stadtplan.an() ? 15 : 10);
    stadtplan.beiWechsel = function (an) { karte.setView(punkt, an ? 15 : 10); };
    L.marker(punkt, { title: element.dataset.titel, alt: element.dataset.titel }).addTo(karte);
    return;
  }

  var ebene = L.layerGroup().addTo(karte);
  var anfrage = 0;

  function popupFuer(eintraege) {
    var box = document.createElement("div");
    var liste = document.createElement("ul");
    eintraege.forEach(function (e) {
      var eintrag = document.createElement("li");
      eintrag.appendChild(link(e.url, e.titel));
      [e.anbieter, e.art, e.adresse].forEach(function (zeile) {
        if (zeile) eintrag.appendChild(text("div", zeile));
      });
      liste.appendChild(eintrag);
    });
    box.appendChild(liste);
    return box;
  }

  function zeichnen(daten) {
    ebene.clearLayers();
    daten.features.forEach(function (f) {
      var lage = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
      var p = f.properties;
      if (p.cluster) {
        var groesse = p.anzahl < 10 ? 34 : p.anzahl < 100 ? 42 : 52;
        var icon = L.divIcon({ className: "cluster", iconSize: [groesse, groesse], html: "" });
        var m = L.marker(lage, { icon: icon, title: p.anzahl + einheit, keyboard: true });
        m.on("add", function () {
          var el = m.getElement();
          el.textContent = String(p.anzahl);
          el.setAttribute("role", "button");
          el.setAttribute("aria-label", p.anzahl + einheit);
        });
        m.on("click", function () { karte.setView(lage, Math.min(karte.getZoom() + 2, 18)); });
        m.addTo(ebene);
      } else {
        var eintraege = p[schluessel] || [];
        // Several entries at one address open a popup listing them; they never zoom.
        var titel = eintraege.length === 1 ? eintraege[0].titel : p.anzahl + einheit.replace(/ – .*$/, "") + " " + texte.hier;
        var marker = L.marker(lage, { title: titel, alt: titel, keyboard: true });
        marker.bindPopup(function () {
          var inhalt = popupFuer(eintraege);
          if (p.anzahl > eintraege.length && element.dataset.liste) {
            var url = element.dataset.liste + "?lat=" + lage[0].toFixed(5) + "&lon=" + lage[1].toFixed(5) + "&umkreis=1";
            inhalt.appendChild(link(url, texte.mehr));
          }
          return inhalt;
        });
        marker.addTo(ebene);
      }
    });
  }

  // Detail page with several places (a network's partners): data in the page, no request.
  if (element.dataset.daten) {
    var daten = JSON.parse(document.getElementById(element.dataset.daten).textContent);
    var punkte = daten.features.map(function (f) { return [f.geometry.coordinates[1], f.geometry.coordinates[0]]; });
    karte.fitBounds(L.latLngBounds(punkte), { maxZoom: 15, padding: [24, 24] });
    zeichnen(daten);
    return;
  }

  function laden() {
    var b = karte.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (z) { return z.toFixed(5); });
    var url = element.dataset.url + (element.dataset.url.indexOf("?") < 0 ? "?" : "&") + "bbox=" + bbox.join(",");
    var nummer = ++anfrage;
    fetch(url, { headers: { Accept: "application/json" } })
      // A refusal (429: too many searches) leaves the map as it is; the list still answers.
      .then(function (antwort) { return antwort.ok ? antwort.json() : null; })
      .then(function (daten) { if (daten && nummer === anfrage) zeichnen(daten); });
  }

  if (element.dataset.lat) {
    var mitte = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lon)];
    karte.fitBounds(L.latLng(mitte).toBounds(parseFloat(element.dataset.umkreis) * 2000));
  } else {
    karte.setView([51.1, 10.3], 6);
  }
  karte.on("moveend", laden);
  laden();

  // "In diesem Kartenausschnitt suchen": the list for the visible area, as a shareable URL.
  var ausschnitt = document.querySelector(".js-ausschnitt");
  if (ausschnitt) {
    ausschnitt.hidden = false;
    ausschnitt.addEventListener("click", function () {
      var mitte = karte.getCenter();
      var radius = Math.max(1, Math.min(200, Math.round(mitte.distanceTo(karte.getBounds().getNorthEast()) / 1000)));
      var parameter = new URLSearchParams(window.location.search);
      ["wo", "lat", "lon", "umkreis", "seite"].forEach(function (n) { parameter.delete(n); });
      parameter.set("lat", mitte.lat.toFixed(5));
      parameter.set("lon", mitte.lng.toFixed(5));
      parameter.set("umkreis", String(radius));
      window.location.search = parameter.toString();
    });
  }
})();
