/* Suggestions for the text inputs that choose a row (territory, organisation, label).
 *
 * The input shows and keeps the row's name ("Béthune (62)"); once a suggestion is picked, a
 * hidden field carries its slug, so that the filter resolves exactly even when two rows share
 * a name. Typing again drops the slug and the name is submitted as typed.
 * Progressive enhancement: without JavaScript the inputs accept a name or a slug. */
(function () {
  "use strict";

  function attach(input) {
    var list = document.createElement("datalist");
    var hidden = document.createElement("input");
    var fieldName = input.name;
    var slugs = {};
    var timer = null;
    var lastQuery = "";
    list.id = input.id + "-suggestions";
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("list", list.id);
    hidden.type = "hidden";
    list.insertAdjacentElement("afterend", hidden);

    // The slug stands for the name only while the input still shows that name.
    function choose(slug) {
      if (slug) {
        hidden.name = fieldName;
        hidden.value = slug;
        input.removeAttribute("name");
        input.dataset.slugFor = input.value;
      } else {
        hidden.removeAttribute("name");
        hidden.value = "";
        input.name = fieldName;
        delete input.dataset.slugFor;
      }
    }

    if (input.dataset.slug) {
      slugs[input.value] = input.dataset.slug;
      choose(input.dataset.slug);
    }

    function fill(results) {
      var options = results.map(function (item) {
        var option = document.createElement("option");
        option.value = item.value;
        option.label = item.label;
        option.textContent = item.label;
        if (item.slug) {
          option.dataset.slug = item.slug;
          slugs[item.value] = item.slug;
        }
        return option;
      });
      list.replaceChildren.apply(list, options);
    }

    input.addEventListener("input", function () {
      var query = input.value.trim();
      choose(slugs[input.value] || "");
      window.clearTimeout(timer);
      if (query.length < 2 || query === lastQuery || slugs[input.value]) {
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
