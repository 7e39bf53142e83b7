// Small progressive enhancements for every page (no inline scripts: CSP).
//
// Show a follow-up question only while the answer it depends on is given
// (e.g. "which blood thinner?" after "yes"). The server decides what is asked
// and what is kept (screening.rules.is_shown), and says so in the page: a
// question starts hidden or not, and names the answer that shows it
// (data-show-when: the question; data-show-value: the answer as the form
// posts it). This only follows the patient's clicks by the same rule: the
// answer is that value (or, for check boxes, includes it), and the question
// it depends on is itself shown. Without JavaScript the server's choice stands.
(function () {
  "use strict";
  // The values the patient has given to a question on this page, or null when it is on another page.
  function given(form, name) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    if (!inputs.length) { return null; }
    var values = [];
    inputs.forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.value === "on") { values.push(input.checked ? "yes" : "no"); }  // one box: yes or no
        else if (input.checked) { values.push(input.value); }
      } else if (input.value) {
        values.push(input.value);
      }
    });
    return values;
  }
  function groupOf(form, name) {
    var input = form.querySelector('[name="' + name + '"]');
    return input ? input.closest(".question") : null;
  }
  function shown(form, group, depth) {
    var parent = group.dataset.showWhen;
    if (!parent || depth > 50) { return true; }
    var values = given(form, parent);
    if (values === null) { return !group.hidden; }  // answered on another page: the server decided
    if (values.indexOf(group.dataset.showValue) === -1) { return false; }
    var parentGroup = groupOf(form, parent);
    return !parentGroup || shown(form, parentGroup, depth + 1);
  }
  function update(form) {
    form.querySelectorAll(".question[data-show-when]").forEach(function (group) {
      group.hidden = !shown(form, group, 0);
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
