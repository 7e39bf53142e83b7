// The rule editor's words preview, refreshed as the manager types (the page works without it:
// saving shows the same preview, rendered by the server).
(function () {
  "use strict";
  var form = document.getElementById("rule-editor");
  if (!form || !window.fetch) { return; }
  var timer = null;
  function refresh() {
    fetch(form.dataset.wordsUrl, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        var current = document.getElementById("words-preview");
        if (html && current) { current.outerHTML = html; }
      })
      .catch(function () { /* keep the last preview */ });
  }
  form.addEventListener("input", function (event) {
    var name = event.target.name || "";
    if (!/^(rule-|c[0-9]+-|cnew-)/.test(name)) { return; }
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
})();

// A condition's question or operator chosen: its value fields (the answers to tick, how long) appear at
// once, drawn by the server as the no-script "Show the boxes for its value" button does, in place of that
// condition's box alone (the rest of the page, and what is typed in it, stays as it is). Nothing is saved.
(function () {
  "use strict";
  var form = document.getElementById("rule-editor");
  if (!form || !window.fetch || !window.DOMParser) { return; }
  function hideRedrawButtons(root) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-redraw]"), function (button) { button.hidden = true; });
  }
  hideRedrawButtons(form);
  var asked = 0;
  form.addEventListener("change", function (event) {
    var select = event.target;
    if (!/^(c[0-9]+|cnew)-(question|op)$/.test(select.name || "")) { return; }
    var box = select.closest("fieldset[id^='condition-']");
    if (!box) { return; }
    var mine = ++asked;
    var data = new FormData(form);
    data.append("redraw", "1");
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html || mine !== asked) { return; }  // a later choice's answer is on its way
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(box.id);
        var current = document.getElementById(box.id);
        if (!fresh || !current) { return; }
        hideRedrawButtons(fresh);
        current.replaceWith(document.importNode(fresh, true));
        var again = document.getElementById(select.id);
        if (again) { again.focus(); }
      })
      .catch(function () { /* saving draws the boxes too */ });
  });
})();
