// The rule editor, made quicker where the browser can (the page works without it: saving shows the same
// preview, and "Show the boxes for its value" draws a condition again, both rendered by the server).
(function () {
  "use strict";
  var form = document.getElementById("rule-editor");
  if (!form || !window.fetch || !window.DOMParser) { return; }

  function post(extra) {
    var data = new FormData(form);
    if (extra) { data.append(extra, "1"); }
    return fetch(form.action, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; });
  }

  // The words a patient and staff read, refreshed as the manager types.
  var timer = null;
  function refreshWords() {
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
    timer = setTimeout(refreshWords, 400);
  });

  // A condition's question or operator chosen: its value fields (the answers to tick, how long) appear at
  // once, drawn by the server as the no-script button would, in place of the condition's box alone.
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
    post("redraw").then(function (html) {
      if (!html || mine !== asked) { return; }  // a later choice's answer is on its way
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(box.id);
      var current = document.getElementById(box.id);
      if (!fresh || !current) { return; }
      hideRedrawButtons(fresh);
      current.replaceWith(document.importNode(fresh, true));
      var again = document.getElementById(select.id);
      if (again) { again.focus(); }
    }).catch(function () { /* the button's way still works: saving draws the boxes too */ });
  });
})();
