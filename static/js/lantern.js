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
