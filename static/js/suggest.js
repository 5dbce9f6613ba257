/* Suggestions for the text inputs that take a slug (territory, organisation).
 * Progressive enhancement: without JavaScript the inputs still accept a slug or an exact name. */
(function () {
  "use strict";

  function attach(input) {
    var list = document.createElement("datalist");
    var timer = null;
    var lastQuery = "";
    list.id = input.id + "-suggestions";
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("list", list.id);

    function fill(results) {
      var options = results.map(function (item) {
        var option = document.createElement("option");
        option.value = item.value;
        option.label = item.label;
        option.textContent = item.label;
        return option;
      });
      list.replaceChildren.apply(list, options);
    }

    input.addEventListener("input", function () {
      var query = input.value.trim();
      window.clearTimeout(timer);
      if (query.length < 2 || query === lastQuery) {
        return;
      }
      timer = window.setTimeout(function () {
        lastQuery = query;
        fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
        })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            fill(data.results || []);
          })
          .catch(function () {});
      }, 200);
    });
  }

  document.querySelectorAll("input[data-suggest-url]").forEach(attach);
})();
