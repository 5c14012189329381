// Optional progressive enhancement: every post form works without this file, and the server
// already writes one post per submission token. Pressing "Post" a second time while the first
// is on its way does nothing, and the button says so ("Posting…"), so a slow connection does
// not look like a lost post.
(function () {
  "use strict";
  function attach(form) {
    var sending = false;
    var busyButton = null;
    var idleLabel = "";
    form.addEventListener("submit", function (event) {
      if (sending) {
        event.preventDefault();
        return;
      }
      sending = true;
      var button = event.submitter || form.querySelector("[data-posting]");
      if (button && button.hasAttribute("data-posting")) {
        busyButton = button;
        idleLabel = button.textContent;
        button.textContent = button.getAttribute("data-posting");
        button.setAttribute("aria-disabled", "true");
      }
    });
    // Coming back with the browser's Back button can show this page from memory, still busy.
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) return;
      sending = false;
      if (busyButton) {
        busyButton.textContent = idleLabel;
        busyButton.removeAttribute("aria-disabled");
        busyButton = null;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-posting-form]").forEach(attach);
  });
})();
