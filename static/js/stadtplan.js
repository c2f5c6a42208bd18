/* The maps' background without third-party requests (issue 15).

   Every map first shows Germany's outline and its neighbours from a file on this server
   (Natural Earth, static/vendor/world-atlas). City map tiles from another host are loaded only
   after the visitor presses "Stadtplan laden (…)", which says what is sent to whom; the choice
   is kept in this browser's localStorage (no cookie, never sent) and can be taken back. Tiles
   on the site's own host (a relative MAP_TILE_URL, or MAP_TILE_EIGENER_SERVER) load at once.

   atlasStadtplan(karte, einstellungen, nach) adds this to a Leaflet map; `nach` is the element
   after which the button goes. It returns {an(), beiWechsel: function (an) {}}. */
(function () {
  "use strict";
  var SCHLUESSEL = "atlas.stadtplan";

  function gespeichert() {
    try { return window.localStorage.getItem(SCHLUESSEL) === "ja"; } catch (fehler) { return false; }
  }

  function speichern(ja) {
    try {
      if (ja) window.localStorage.setItem(SCHLUESSEL, "ja");
      else window.localStorage.removeItem(SCHLUESSEL);
    } catch (fehler) { /* storage off: the choice lasts for this page */ }
  }

  function eigenerHost(vorlage) {
    try {
      var url = new URL(vorlage.replace(/\{[a-z]+\}/g, "0"), window.location.href);
      return url.host === window.location.host;
    } catch (fehler) {
      return false;
    }
  }

  window.atlasStadtplan = function (karte, e, nach) {
    var zustand = { kacheln: null, beiWechsel: null };
    var rueckgabe = {
      an: function () { return zustand.kacheln !== null; },
      set beiWechsel(f) { zustand.beiWechsel = f; },
    };

    // The outline lies in a pane below the tiles: once loaded, they cover it.
    var pane = karte.createPane("umriss");
    pane.style.zIndex = "150";
    fetch(e.umriss_url, { headers: { Accept: "application/geo+json" } })
      .then(function (antwort) { return antwort.json(); })
      .then(function (daten) {
        L.geoJSON(daten, {
          pane: "umriss",
          renderer: L.svg({ pane: "umriss" }),
          interactive: false,
          attribution: e.umriss_attribution,
          style: function (f) {
            return f.properties.deutschland
              ? { color: "#4f6573", weight: 1.5, fillColor: "#f7f5ee", fillOpacity: 1 }
              : { color: "#8e9ba4", weight: 1, fillColor: "#e4e7e9", fillOpacity: 1 };
          },
        }).addTo(karte);
      });

    function laden() {
      if (zustand.kacheln) return;
      zustand.kacheln = L.tileLayer(e.kachel_url, { attribution: e.attribution, maxZoom: 18 }).addTo(karte);
      if (zustand.beiWechsel) zustand.beiWechsel(true);
    }

    function ausblenden() {
      if (!zustand.kacheln) return;
      karte.removeLayer(zustand.kacheln);
      zustand.kacheln = null;
      if (zustand.beiWechsel) zustand.beiWechsel(false);
    }

    if (e.eigener_server || eigenerHost(e.kachel_url)) {
      laden();
      return rueckgabe;
    }

    var box = document.createElement("div");
    box.className = "stadtplan nicht-drucken";
    var text = document.createElement("p");
    text.className = "hilfe";
    text.id = (karte.getContainer().id || "karte") + "-stadtplan-hilfe";
    var knopf = document.createElement("button");
    knopf.type = "button";
    knopf.className = "knopf knopf--leise stadtplan__knopf";
    knopf.setAttribute("aria-describedby", text.id);
    box.appendChild(knopf);
    box.appendChild(text);
    nach.insertAdjacentElement("afterend", box);

    function zeigen() {
      var an = zustand.kacheln !== null;
      knopf.textContent = an ? e.texte.ausblenden : e.texte.laden;
      text.textContent = an ? e.texte.geladen : e.texte.erklaerung;
    }

    knopf.addEventListener("click", function () {
      if (zustand.kacheln) {
        ausblenden();
        speichern(false);
      } else {
        laden();
        speichern(true);
      }
      zeigen();
    });
    if (gespeichert()) laden();
    zeigen();
    return rueckgabe;
  };
})();
