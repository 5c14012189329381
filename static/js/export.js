// Optional progressive enhancement for /settings/export/: while an export is being prepared,
// the page asks the server again every few seconds and swaps in the new state, so the member
// need not press "Check again". Without scripts that link does the same. The area is a polite
// live region, so a screen reader hears "Your export is ready" when it is.
(function () {
  "use strict";
  var area = document.querySelector("[data-export-area]");
  if (!area || !window.fetch || !window.DOMParser) return;
  var WAITING = ["queued", "building"];
  var tries = 0;

  function waiting(root) {
    var state = root.querySelector("[data-export-state]");
    return state && WAITING.indexOf(state.getAttribute("data-export-state")) !== -1;
  }

  function check() {
    // Five minutes at most: a longer wait is what "Check again" is for.
    if (!waiting(area) || tries++ > 100) return;
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var next = fresh.querySelector("[data-export-area]");
        if (next && !waiting(next)) area.innerHTML = next.innerHTML;
      })
      .catch(function () { /* the link still works */ })
      .then(function () { window.setTimeout(check, 3000); });
  }

  window.setTimeout(check, 3000);
})();
