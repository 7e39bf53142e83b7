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
