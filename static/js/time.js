// Optional progressive enhancement: every time on a page is written by the server as an
// absolute time with its zone named ("1 Dec 2026, 14:05 UTC", forum/templatetags/time_tags.py),
// which is what readers without scripts see. Here each <time data-when> becomes "3 hours ago",
// kept fresh each minute, with the absolute time in the reader's own zone in its title and in
// visually hidden text for screen readers. Times a page wrote in a zone it chose (a moderator's
// duty zone, data-when="kept") keep that zone's absolute time.
(function () {
  "use strict";
  if (!(window.Intl && Intl.RelativeTimeFormat && Intl.DateTimeFormat)) return;
  var UNITS = [
    ["year", 365 * 86400],
    ["month", 30 * 86400],
    ["week", 7 * 86400],
    ["day", 86400],
    ["hour", 3600],
    ["minute", 60]
  ];
  var relativeFormat = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  var localFormat = new Intl.DateTimeFormat(undefined, {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short"
  });

  function relative(seconds) {
    // seconds > 0 is in the past; a future end ("muted until") reads "in 3 days".
    var size = Math.abs(seconds);
    if (size < 60) return "just now";
    for (var i = 0; i < UNITS.length; i++) {
      if (size >= UNITS[i][1]) {
        var count = Math.floor(size / UNITS[i][1]);
        return relativeFormat.format(seconds > 0 ? -count : count, UNITS[i][0]);
      }
    }
    return "just now";
  }

  function prepare(el) {
    var when = new Date(el.getAttribute("datetime"));
    if (isNaN(when.getTime())) return null;
    var absolute = el.dataset.when === "utc" ? localFormat.format(when) : el.title;
    el.title = absolute;
    el.textContent = "";
    var shown = document.createElement("span");
    var spoken = document.createElement("span");
    spoken.className = "visually-hidden";
    spoken.textContent = " (" + absolute + ")";
    el.appendChild(shown);
    el.appendChild(spoken);
    return { el: el, when: when.getTime(), shown: shown };
  }

  var times = [];
  function refresh() {
    var now = Date.now();
    times.forEach(function (t) {
      t.shown.textContent = relative((now - t.when) / 1000);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("time[data-when]").forEach(function (el) {
      var prepared = prepare(el);
      if (prepared) times.push(prepared);
    });
    refresh();
    window.setInterval(refresh, 60 * 1000);
  });
})();
