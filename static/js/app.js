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

  // The error summary (partials/form_errors.html, [data-error-summary]): after a
  // failed submit the focus goes to it, so that a screen reader reads the errors
  // and the keyboard starts from them; each link in it focuses its field.
  function focusErrorSummary(root) {
    var summary = root.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }
  function fieldOf(link) {
    var id = link.getAttribute("href").slice(1);
    var field = document.getElementById(id);
    if (!field) {
      // Radio buttons and multiple checkboxes: their inputs are id_0, id_1...
      var form = link.closest("form");
      var named = form ? form.querySelectorAll('[name="' + link.getAttribute("data-error-field") + '"]') : [];
      field = named.length ? named[0] : null;
    }
    return field;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[data-error-field]");
    if (!link) {
      return;
    }
    var field = fieldOf(link);
    if (field) {
      event.preventDefault();
      // Show the field's label above it, not only the field at the top edge.
      var label = document.querySelector('label[for="' + field.id + '"]') || field;
      label.scrollIntoView({ block: "start" });
      field.focus({ preventScroll: true });
    }
  });
  focusErrorSummary(document);
  document.body.addEventListener("htmx:afterSettle", function (event) {
    focusErrorSummary(event.detail.elt);
  });

  // Sortable headers (partials/sort_header.html): a sort reloads the page; the
  // focus goes back to the header the keyboard sorted by, not to the top.
  var SORT_KEY = "app:sorted-by";
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.sort-link[data-sort-key]");
    if (link) {
      try {
        window.sessionStorage.setItem(SORT_KEY, link.getAttribute("data-sort-key"));
      } catch (error) {
        // Storage refused (private mode): the focus starts at the top, as without script.
      }
    }
  });
  try {
    var sortedBy = window.sessionStorage.getItem(SORT_KEY);
    window.sessionStorage.removeItem(SORT_KEY);
    if (sortedBy && !document.querySelector("[data-error-summary]")) {
      var sortLink = document.querySelector('a.sort-link[data-sort-key="' + sortedBy + '"]');
      if (sortLink) {
        sortLink.focus();
      }
    }
  } catch (error) {
    // No storage: nothing to restore.
  }

  // Figure definitions (partials/figure_definition.html) are <details> that open
  // by click, touch, Enter or Space without script; script adds what a popover
  // does: one open at a time, Escape or a click elsewhere closes it.
  var definitions = document.querySelectorAll("details[data-definition]");
  function closeDefinitions(except) {
    definitions.forEach(function (details) {
      if (details !== except) {
        details.open = false;
      }
    });
  }
  // Over the page, below its button, inside the window (CSSOM styles are not
  // inline styles: the Content-Security-Policy allows them).
  function place(details) {
    var body = details.querySelector(".figure-definition-body");
    var button = details.querySelector("summary").getBoundingClientRect();
    var margin = 8;
    var width = body.offsetWidth;
    var left = Math.min(Math.max(margin, button.right - width), window.innerWidth - width - margin);
    body.style.left = Math.max(margin, left) + "px";
    body.style.top = button.bottom + 4 + "px";
  }
  definitions.forEach(function (details) {
    // Floating from the start: opening one never pushes the table's columns.
    details.querySelector(".figure-definition-body").classList.add("is-floating");
    details.addEventListener("toggle", function () {
      if (details.open) {
        closeDefinitions(details);
        place(details);
      }
    });
  });
  function placeOpenDefinition() {
    var open = document.querySelector("details[data-definition][open]");
    if (open) {
      place(open);
    }
  }
  window.addEventListener("resize", placeOpenDefinition);
  window.addEventListener("scroll", placeOpenDefinition, true);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var open = document.querySelector("details[data-definition][open]");
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest("details[data-definition]")) {
      closeDefinitions(null);
    }
  });
})();
