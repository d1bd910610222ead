// Behaviour shared by every page. The Content-Security-Policy allows no inline
// script or event handler: pages mark elements with data-* attributes instead.
(function () {
  "use strict";
  // <select data-autosubmit>: submit the form as soon as the choice changes
  // (the language switcher; a <noscript> button does it without JavaScript).
  document.querySelectorAll("[data-autosubmit]").forEach(function (element) {
    element.addEventListener("change", function () {
      element.form.submit();
    });
  });
  // <button data-confirm="question">: ask before a destructive action.
  document.querySelectorAll("[data-confirm]").forEach(function (element) {
    element.addEventListener("click", function (event) {
      if (!window.confirm(element.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
  // <button data-print>: open the browser's print dialog.
  document.querySelectorAll("[data-print]").forEach(function (element) {
    element.addEventListener("click", function () {
      window.print();
    });
  });
})();
