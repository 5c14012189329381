// Optional: a "Print my plan" button where scripts run. Without it the page says to use the
// browser's print command, and the print stylesheet does the rest either way.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print-plan]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
