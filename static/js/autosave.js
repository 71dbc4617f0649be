// Autosave of a long form: a few seconds after the last change the form is posted with
// autosave=1 and the status line says whether it was kept. Without JavaScript the
// «Сохранить черновик» button does the same.
(function () {
  "use strict";
  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var status = document.getElementById(form.dataset.autosaveStatus);
    var timer = null;
    function say(text) { if (status) { status.textContent = text; } }
    function save() {
      var data = new FormData(form);
      data.set("autosave", "1");
      fetch(form.action || window.location.href, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }
      }).then(function (response) {
        say(response.ok ? form.dataset.savedText : form.dataset.failedText);
      }).catch(function () { say(form.dataset.failedText); });
    }
    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(save, 2000);
    });
  });
})();
