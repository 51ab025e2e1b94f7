/* Torg's case workspace: keyboard shortcuts and small helpers. Loaded as a file (strict CSP: no inline script).
 *
 * A shortcut is Alt+Shift+letter (never a single key, WCAG 2.1.4). The keys live in the page, on the element
 * they act on: data-shortcut="Alt+Shift+N". A link is followed; a form control gets the focus. The list of
 * shortcuts is drawn from the same Python list as the help page at /desk/shortcuts/.
 */
(function () {
  "use strict";

  function combination(event) {
    if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) {
      return null;
    }
    // event.code names the physical key, so Option+Shift on a Mac (which types other characters) works too.
    var match = /^Key([A-Z])$/.exec(event.code || "");
    return match ? "Alt+Shift+" + match[1] : null;
  }

  function act(element) {
    if (element.matches("a[href]")) {
      element.click();
      return;
    }
    element.focus();
    if (typeof element.select === "function" && element.type === "search") {
      element.select();
    }
  }

  document.addEventListener("keydown", function (event) {
    var keys = combination(event);
    if (!keys) {
      return;
    }
    var target = document.querySelector('[data-shortcut="' + keys + '"]');
    if (!target) {
      return;
    }
    event.preventDefault();
    act(target);
  });

  // "Tick every case on this page": shown only where this script runs, since it does nothing without it.
  function reveal(root) {
    root.querySelectorAll("[data-select-all][hidden]").forEach(function (box) {
      box.hidden = false;
    });
  }

  document.addEventListener("change", function (event) {
    var all = event.target.closest ? event.target.closest("[data-select-all]") : null;
    if (!all) {
      return;
    }
    document.querySelectorAll(all.getAttribute("data-select-all")).forEach(function (box) {
      box.checked = all.checked;
    });
  });

  document.addEventListener("htmx:load", function (event) {
    reveal(event.target);
  });

  document.addEventListener("DOMContentLoaded", function () {
    reveal(document);
    // A link to a form control (e.g. "Search cases" from another page) puts the focus in it on arrival.
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (target && target.matches("input, textarea, select")) {
      target.focus();
      return;
    }
    // A form whose first step is a search (the caller of a new case) starts there, unless it has errors.
    var first = document.querySelector("[data-focus-first] input:not([type=hidden])");
    if (first && !document.querySelector("[role=alert], .ds-validation-message")) {
      first.focus();
    }
  });
})();
