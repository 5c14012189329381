// Optional progressive enhancement: every post form works without this file, and the server
// never loses a form it received. This keeps the words of an unsent post (a reply, a new topic,
// an edit) in this browser's localStorage while the member writes, so a reload, a closed tab or
// a lost connection does not lose them. Drafts are health information: they stay on this device,
// are never sent anywhere by this file, and are all cleared when the member logs out.
//
// Forms opt in with data-draft. A draft is keyed by the path the form posts to
// ("lantern:draft:/t/12/reply/"), so the reply box on a topic page and the reply page share one.
// It holds the text of the form's text fields and what the page first showed in them ("base":
// empty for a new post, the current words for an edit); it is put back only into fields that
// still show that, so it never overwrites words the server sent back after an error.
//
// After "Post", the draft is cleared when the server answered with a redirect (the forum's
// post, redirect, get: a post is saved only then), and kept when the form came back instead
// (a refusal, a preview) or the connection was lost.
(function () {
  "use strict";
  var PREFIX = "lantern:draft:";
  var SENT = "lantern:draft-sent";
  var SAVE_AFTER_MS = 600;
  // A submission whose answer never came is forgotten after this long.
  var SENT_FOR_MS = 10 * 60 * 1000;
  var script = document.currentScript;
  var logoutPath = script ? script.getAttribute("data-logout-url") : null;

  function storage(kind) {
    try {
      var store = window[kind];
      var probe = PREFIX + "probe";
      store.setItem(probe, "1");
      store.removeItem(probe);
      return store;
    } catch (error) {
      return null; // storage refused (private browsing, quota): the forms work as before
    }
  }
  var local = storage("localStorage");
  var session = storage("sessionStorage");
  if (!local) return;

  function pathOf(form) {
    return new URL(form.action, window.location.href).pathname;
  }

  function read(key) {
    try {
      return JSON.parse(local.getItem(key) || "null");
    } catch (error) {
      return null;
    }
  }

  // Set when the member logs out: nothing is saved again from this page as it unloads.
  var closed = false;

  function clearAll() {
    closed = true;
    for (var i = local.length - 1; i >= 0; i--) {
      var key = local.key(i);
      if (key && key.indexOf(PREFIX) === 0) local.removeItem(key);
    }
    if (session) session.removeItem(SENT);
  }

  // The page that answered the last "Post": a redirect means the post was saved.
  function settleLastSubmission() {
    if (!session) return;
    var sent = null;
    try {
      sent = JSON.parse(session.getItem(SENT) || "null");
    } catch (error) {
      sent = null;
    }
    session.removeItem(SENT);
    if (!sent || Date.now() - sent.at > SENT_FOR_MS) return;
    var entries = window.performance && performance.getEntriesByType
      ? performance.getEntriesByType("navigation")
      : [];
    var navigation = entries[0];
    if (navigation && navigation.type === "navigate" && navigation.redirectCount > 0) {
      local.removeItem(sent.key);
    }
  }

  function attach(form) {
    var key = PREFIX + pathOf(form);
    var fields = Array.prototype.slice.call(
      form.querySelectorAll("textarea[name], input[type='text'][name]")
    );
    if (!fields.length) return;
    var shown = {};
    fields.forEach(function (field) {
      shown[field.name] = field.value;
    });

    var note = document.createElement("div");
    note.className = "draft-note";
    var help = document.createElement("p");
    help.className = "help";
    help.textContent = "While you write, a draft is kept only on this device. Logging out clears it.";
    var line = document.createElement("p");
    line.className = "draft-status";
    var status = document.createElement("span");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "link-button";
    discard.textContent = "Discard draft";
    discard.hidden = true;
    line.appendChild(status);
    line.appendChild(document.createTextNode(" "));
    line.appendChild(discard);
    note.appendChild(help);
    note.appendChild(line);
    var actions = form.querySelector(".form-actions");
    if (actions) actions.parentNode.insertBefore(note, actions);
    else form.appendChild(note);

    function say(words, canDiscard) {
      if (status.textContent !== words) status.textContent = words;
      discard.hidden = !canDiscard;
    }

    function values() {
      var out = {};
      fields.forEach(function (field) {
        out[field.name] = field.value;
      });
      return out;
    }

    function save() {
      if (closed) return;
      var now = values();
      var earlier = read(key);
      // The first page's words stay the base, so words sent back after a refusal are still a
      // draft, and one typed then is still put back into a fresh, empty form.
      var base = earlier && earlier.base ? earlier.base : shown;
      var changed = fields.some(function (field) {
        return now[field.name] !== (base[field.name] || "");
      });
      if (!changed) {
        // Back to the words the post started from: nothing to keep.
        local.removeItem(key);
        say("", false);
        return;
      }
      try {
        local.setItem(key, JSON.stringify({ fields: now, base: base, at: Date.now() }));
        say("Draft kept on this device", true);
      } catch (error) {
        say("", false); // storage full: the form itself still has every word
      }
    }

    var timer = null;
    function saveSoon() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        timer = null;
        save();
      }, SAVE_AFTER_MS);
    }
    function saveNow() {
      if (timer === null) return;
      window.clearTimeout(timer);
      timer = null;
      save();
    }

    var draft = read(key);
    if (draft && draft.fields) {
      var fits = fields.every(function (field) {
        return field.value === "" || field.value === (draft.base || {})[field.name];
      });
      var differs = fields.some(function (field) {
        var words = draft.fields[field.name];
        return typeof words === "string" && words !== field.value;
      });
      if (fits && differs) {
        fields.forEach(function (field) {
          var words = draft.fields[field.name];
          if (typeof words !== "string") return;
          field.value = words;
          // Other enhancements (the character count) hear about the words put back.
          field.dispatchEvent(new Event("input", { bubbles: true }));
        });
        window.clearTimeout(timer);
        timer = null;
        say("Draft restored", true);
      } else if (!fits) {
        // The page shows other words (sent back after an error, or the post changed since):
        // they win, and the draft follows them from now on.
        say("", false);
      }
    }

    form.addEventListener("input", saveSoon);
    window.addEventListener("pagehide", saveNow);
    discard.addEventListener("click", function () {
      local.removeItem(key);
      fields.forEach(function (field) {
        field.value = shown[field.name];
        field.dispatchEvent(new Event("input", { bubbles: true }));
      });
      window.clearTimeout(timer); // the words shown now are the page's own: nothing to save
      timer = null;
      say("Draft discarded", false);
      fields[fields.length - 1].focus();
    });
    form.addEventListener("submit", function (event) {
      saveNow();
      var button = event.submitter;
      if (button && button.name === "preview") return; // previewing saves nothing
      if (session) session.setItem(SENT, JSON.stringify({ key: key, at: Date.now() }));
    });
  }

  settleLastSubmission();
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (logoutPath && form instanceof HTMLFormElement && pathOf(form) === logoutPath) {
      clearAll();
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-draft]").forEach(attach);
  });
})();
