// The admin's autocomplete fields (Select2) name their combobox after the chosen value only and
// their search boxes after nothing: a screen reader announced "combobox" without saying which
// field it is (axe: aria-input-field-name, label). Each gets the field's own <label> as name.
(function () {
  "use strict";

  function beschriftung(id) {
    const label = id && document.querySelector(`label[for="${CSS.escape(id)}"]`);
    if (!label) return null;
    if (!label.id) label.id = `${id}-beschriftung`;
    return label.id;
  }

  function beschriften() {
    for (const auswahl of document.querySelectorAll("select.admin-autocomplete")) {
      const behaelter = auswahl.nextElementSibling;
      if (!behaelter || !behaelter.classList.contains("select2-container")) continue;
      const name = beschriftung(auswahl.id);
      if (!name) continue;
      const feld = behaelter.querySelector(".select2-selection");
      const wert = behaelter.querySelector(".select2-selection__rendered");
      if (feld) {
        // Field name first, then the chosen value (Select2's own reference).
        const teile = [name];
        if (wert && wert.id && feld.classList.contains("select2-selection--single")) {
          teile.push(wert.id);
        }
        feld.setAttribute("aria-labelledby", teile.join(" "));
      }
      // Select2 makes the shown value a read-only textbox of its own: the same name.
      if (wert && wert.id && wert.getAttribute("role") === "textbox") {
        wert.setAttribute("aria-labelledby", `${name} ${wert.id}`);
      }
      for (const suche of behaelter.querySelectorAll(".select2-search__field")) {
        suche.setAttribute("aria-labelledby", name);
      }
    }
    // An open dropdown hangs at the end of the page; its list's id names the field.
    for (const liste of document.querySelectorAll(".select2-dropdown .select2-results__options")) {
      const treffer = /^select2-(.+)-results$/.exec(liste.id);
      const name = treffer && beschriftung(treffer[1]);
      const suche = name && liste.closest(".select2-dropdown").querySelector(".select2-search__field");
      if (suche) suche.setAttribute("aria-labelledby", name);
    }
  }

  window.addEventListener("load", function () {
    beschriften();
    // Select2 builds its boxes after the page loads, again for each added inline row.
    new MutationObserver(beschriften).observe(document.body, { childList: true, subtree: true });
  });
})();
