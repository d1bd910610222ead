// The page that shows a new API token once (templates/api/token_created.html):
// <button data-copy-target="id"> copies that field's value; a field with
// data-select-on-focus selects its whole value when focused.
(function () {
  "use strict";
  document.querySelectorAll("[data-select-on-focus]").forEach(function (field) {
    field.addEventListener("focus", function () {
      field.select();
    });
  });
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy-target"));
      field.select();
      var done = function () {
        button.textContent = button.getAttribute("data-copied-label");
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done);
      } else if (document.execCommand("copy")) {
        done();
      }
    });
  });
})();
