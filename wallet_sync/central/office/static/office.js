// Live validation of a program draft: posts the text (with the session's CSRF token) to
// central while the author types and shows the first error load-programs would give.
(function () {
  "use strict";
  var source = document.getElementById("source");
  var out = document.getElementById("validation");
  if (!source || !out || source.readOnly) { return; }
  var form = document.getElementById("draft-form");
  var csrf = form.querySelector("input[name=csrf]").value;
  var timer = null;
  function check() {
    var body = new URLSearchParams();
    body.set("csrf", csrf);
    body.set("source", source.value);
    fetch(source.dataset.validate, {method: "POST", body: body, credentials: "same-origin",
                                    headers: {"X-CSRF-Token": csrf}})
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        var errors = answer.errors || [];
        out.textContent = errors.length ? errors[0] : out.dataset.ok || "✓";
        out.className = errors.length ? "error" : "ok";
      });
  }
  out.dataset.ok = out.className === "ok" ? out.textContent : "✓";
  source.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 300);
  });
})();
