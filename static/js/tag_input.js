/* Tag inputs ("hydrogène, énergie verte"): the browser's datalist completes the whole value,
 * so each suggestion is rewritten as what is already typed plus an existing tag completing the
 * last name. Without JavaScript the input still takes comma-separated names. */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) {
      return;
    }
    var names = Array.prototype.map.call(list.options, function (option) {
      return option.value;
    });

    function refresh() {
      var value = input.value;
      var comma = value.lastIndexOf(",");
      var typed = value.slice(0, comma + 1);
      var last = fold(value.slice(comma + 1).trim());
      var chosen = typed.split(",").map(function (name) {
        return fold(name.trim());
      });
      var prefix = typed ? typed.replace(/\s*$/, " ") : "";
      var options = names
        .filter(function (name) {
          var folded = fold(name);
          return chosen.indexOf(folded) === -1 && (!last || folded.indexOf(last) !== -1);
        })
        .slice(0, 50)
        .map(function (name) {
          var option = document.createElement("option");
          option.value = prefix + name;
          option.label = name;
          return option;
        });
      list.replaceChildren.apply(list, options);
    }

    input.addEventListener("input", refresh);
    input.addEventListener("focus", refresh);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-tag-input][list]").forEach(attach);
  });
})();
