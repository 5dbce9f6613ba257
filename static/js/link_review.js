/* The article form's "confirm every suggested link at or above X %": Enter in the percentage
 * presses its own button (not the form's first one, "Enregistrer"), and a live line says how
 * many of the suggestions shown reach that percentage, leaving out those set to "Rejeter".
 * Without JavaScript the button works the same; only the live count is missing. */
(function () {
  "use strict";

  function plural(count) {
    if (typeof ngettext === "function" && typeof interpolate === "function") {
      return interpolate(
        ngettext("%s lien suggéré atteint ce seuil.", "%s liens suggérés atteignent ce seuil.", count),
        [count]
      );
    }
    return count + (count > 1 ? " liens suggérés atteignent ce seuil." : " lien suggéré atteint ce seuil.");
  }

  function init() {
    var input = document.getElementById("id_confirm_above");
    var button = document.querySelector("button[name=_confirm_above]");
    var preview = document.getElementById("confirm-above-preview");
    if (!input || !button || !preview) {
      return;
    }

    function update() {
      var minimum = parseInt(input.value, 10);
      if (isNaN(minimum) || minimum < 1 || minimum > 100) {
        preview.textContent = "";
        return;
      }
      var count = 0;
      document.querySelectorAll("tr.link-suggested[data-confidence]").forEach(function (row) {
        var rejected = row.querySelector("input[type=radio][value=reject]:checked");
        if (!rejected && parseInt(row.dataset.confidence, 10) >= minimum) {
          count += 1;
        }
      });
      preview.textContent = plural(count);
    }

    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        button.click();
      }
    });
    input.addEventListener("input", update);
    document.addEventListener("change", function (event) {
      if (event.target.type === "radio" && /-decision$/.test(event.target.name)) {
        update();
      }
    });
    update();
  }

  document.addEventListener("DOMContentLoaded", init);
})();
