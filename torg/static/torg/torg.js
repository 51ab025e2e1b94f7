/* Small behaviour shared by every page. Loaded as a file (strict CSP: no inline script). */
(function () {
  "use strict";

  // Enter in a picker's search field would submit the whole form before anything is picked; it goes on to the
  // list of matches instead, where the arrow keys choose.
  document.addEventListener("keydown", function (event) {
    var search = event.target.closest ? event.target.closest(".picker input[type=search]") : null;
    if (event.key !== "Enter" || !search) {
      return;
    }
    event.preventDefault();
    var select = document.getElementById(search.getAttribute("aria-controls"));
    if (select) {
      select.focus();
    }
  });
})();
