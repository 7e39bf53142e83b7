// Rule draft conditions: offer only the operators that fit the chosen question's type.
// Everything it knows of the operators is on their <option>s, written by the server from the
// engine's operator registry (data-types, data-hint); the server checks the same (validate_rule),
// this only spares a round trip.
(function () {
  "use strict";

  function rowSelect(questionSelect, suffix) {
    var name = questionSelect.name.replace(/-question$/, suffix);
    return document.querySelector('[name="' + name + '"]');
  }

  function fit(questionSelect) {
    var op = rowSelect(questionSelect, "-op");
    if (!op) { return; }
    var chosen = questionSelect.options[questionSelect.selectedIndex];
    var type = chosen ? chosen.getAttribute("data-type") : null;
    Array.prototype.forEach.call(op.options, function (option) {
      var types = option.getAttribute("data-types");
      var fits = !type || !types || types.split(" ").indexOf(type) !== -1;
      option.hidden = !fits;
      option.disabled = !fits;
    });
    if (op.selectedOptions.length && op.selectedOptions[0].disabled) { op.value = ""; }
    hint(op);
  }

  function hint(opSelect) {
    var value = rowSelect({name: opSelect.name.replace(/-op$/, "-question")}, "-value");
    var chosen = opSelect.options[opSelect.selectedIndex];
    if (!value || !chosen) { return; }
    value.placeholder = chosen.getAttribute("data-hint") || "";
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches('select[name$="-question"]')) { fit(target); }
    if (target.matches && target.matches('select[name$="-op"]')) { hint(target); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll('select[name^="conditions-"][name$="-question"]').forEach(fit);
  });
})();
