// Optional progressive enhancement: every flow works without this file.
// Shows a live character count under long text fields so members see the limit before posting.
(function () {
  "use strict";
  var LIMIT = 20000;
  function attach(area) {
    var note = document.createElement("p");
    note.className = "char-count";
    area.insertAdjacentElement("afterend", note);
    function update() {
      var left = LIMIT - area.value.length;
      note.textContent = left >= 0
        ? area.value.length.toLocaleString() + " of " + LIMIT.toLocaleString() + " characters"
        : (-left).toLocaleString() + " characters over the limit";
    }
    area.addEventListener("input", update);
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[name='body']").forEach(attach);
  });
})();

// Lists print absolute times ("29 Nov 2026, 14:05", UTC) so their cached rows never go
// stale; where scripts run, show them as "3 hours ago" with the reader's local time on hover.
(function () {
  "use strict";
  var UNITS = [
    ["year", 365 * 86400],
    ["month", 30 * 86400],
    ["week", 7 * 86400],
    ["day", 86400],
    ["hour", 3600],
    ["minute", 60]
  ];
  var format = window.Intl && Intl.RelativeTimeFormat
    ? new Intl.RelativeTimeFormat("en", { numeric: "auto" })
    : null;
  function relative(seconds) {
    if (seconds < 60) return "just now";
    for (var i = 0; i < UNITS.length; i++) {
      if (seconds >= UNITS[i][1]) return format.format(-Math.floor(seconds / UNITS[i][1]), UNITS[i][0]);
    }
    return "just now";
  }
  function update() {
    var now = Date.now();
    document.querySelectorAll("time[data-relative]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when.getTime())) return;
      if (!el.title) el.title = when.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
      el.textContent = relative(Math.max(0, (now - when.getTime()) / 1000));
    });
  }
  if (!format) return;
  document.addEventListener("DOMContentLoaded", function () {
    update();
    window.setInterval(update, 60 * 1000);
  });
})();
