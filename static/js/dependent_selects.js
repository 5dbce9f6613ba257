/* The département select of the article filters follows the région select: once a région is
 * chosen, only its départements are offered, without reloading the page.
 * Progressive enhancement: the server already restricts the options to the submitted région
 * (news.filters.ArticleFilter), so the page works the same without JavaScript. */
(function () {
  "use strict";

  function attach(child) {
    var parent = document.getElementById(child.dataset.dependsOn);
    if (!parent) {
      return;
    }
    var emptyOption = child.querySelector('option[value=""]');
    var request = 0;

    function refresh() {
      var current = child.value;
      var ticket = ++request;
      fetch(child.dataset.optionsUrl + "?region=" + encodeURIComponent(parent.value), {
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (!data || ticket !== request) {
            return;
          }
          var options = data.results.map(function (item) {
            var option = document.createElement("option");
            option.value = item.value;
            option.textContent = item.label;
            option.selected = item.value === current;
            return option;
          });
          if (emptyOption) {
            options.unshift(emptyOption);
          }
          child.replaceChildren.apply(child, options);
          if (child.value !== current) {
            child.value = "";
          }
        })
        .catch(function () {});
    }

    parent.addEventListener("change", refresh);
  }

  document.querySelectorAll("select[data-depends-on][data-options-url]").forEach(attach);
})();
