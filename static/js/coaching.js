// Gentle reply coaching (forum.coaching): as a member types a reply, a directive or judging
// phrase ("you should", "just stop") brings up a suggestion to speak from experience. It never
// stops the reply and sends nothing anywhere: the phrase list is fetched once, and the text is
// checked here, in the browser. Without this file the preview shows the same hint.
(function () {
  "use strict";
  var APOSTROPHES = /[\u2018\u2019\u02bc]/g;

  function normalise(text) {
    return text.replace(APOSTROPHES, "'").toLowerCase();
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  function compile(hints) {
    return hints.map(function (hint) {
      var words = normalise(hint.phrase).split(/\s+/).filter(Boolean).map(escapeRegExp);
      // Whole words only, as the server matches them ("you should" is not in "you shouldn't").
      var pattern = new RegExp("(^|[^\\p{L}\\p{N}_])" + words.join("\\s+") + "(?![\\p{L}\\p{N}_])", "u");
      return { phrase: hint.phrase, suggestion: hint.suggestion, pattern: pattern };
    });
  }

  function show(box, found) {
    if (!found) {
      box.hidden = true;
      box.textContent = "";
      box.removeAttribute("data-phrase");
      return;
    }
    if (box.getAttribute("data-phrase") === found.phrase && !box.hidden) return;
    box.textContent = "";
    var lead = document.createElement("strong");
    lead.textContent = "A thought before you post:";
    box.appendChild(lead);
    box.appendChild(
      document.createTextNode(
        " “" + found.phrase + "” can sound like an instruction. " + found.suggestion +
          " You can post it as it is."
      )
    );
    box.setAttribute("data-phrase", found.phrase);
    box.hidden = false;
  }

  function attach(form, hints) {
    var field = form.querySelector("textarea");
    var box = form.querySelector("[data-coaching-hint]");
    if (!field || !box) return;
    var timer = null;
    function check() {
      var text = normalise(field.value);
      var found = null;
      for (var i = 0; i < hints.length; i += 1) {
        if (hints[i].pattern.test(text)) {
          found = hints[i];
          break;
        }
      }
      show(box, found);
    }
    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, 300);
    });
    if (field.value) check();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("form[data-coaching]");
    if (!forms.length) return;
    fetch(forms[0].getAttribute("data-coaching"), { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : { hints: [] };
      })
      .then(function (data) {
        var hints = compile(data.hints || []);
        forms.forEach(function (form) {
          attach(form, hints);
        });
      })
      .catch(function () {
        // No list, no hints: the reply form works exactly as before.
      });
  });
})();
