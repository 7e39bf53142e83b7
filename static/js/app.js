// Small progressive enhancements for every page (no inline scripts: CSP).
//
// Show a follow-up question only when the answer it depends on has the
// right value (e.g. "which blood thinner?" after "yes"). Without JavaScript
// every question stays visible, and the server ignores hidden ones.
(function () {
  "use strict";
  function currentValue(form, name) {
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    if (checked) { return checked.type === "checkbox" && checked.value === "on" ? "yes" : checked.value; }
    var field = form.querySelector('[name="' + name + '"]');
    if (!field) { return null; }
    if (field.type === "radio") { return ""; }
    return field.type === "checkbox" ? (field.checked ? "yes" : "no") : field.value;
  }
  function update(form) {
    form.querySelectorAll(".question[data-show-when]").forEach(function (group) {
      var value = currentValue(form, group.dataset.showWhen);
      if (value === null) { return; } // answered on another step: the server decided
      group.hidden = value !== group.dataset.showValue;
    });
  }
  document.querySelectorAll("form").forEach(function (form) {
    update(form);
    form.addEventListener("change", function () { update(form); });
  });
  // Move focus to an error summary so screen readers announce it first.
  var focusTarget = document.querySelector("[data-focus-on-load]");
  if (focusTarget) { focusTarget.focus(); }
})();
