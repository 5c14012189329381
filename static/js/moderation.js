// Moderation pages, progressive enhancement only: every action here is also a link or a
// button that works without JavaScript.
//  - Keyboard shortcuts: j/k next/previous item, a approve, e keep, h hide, c claim,
//    ? a list of them (Esc closes it). They never fire while typing in a field.
//  - The sanction fields stay hidden until mute or suspend is chosen.
//  - The explanation is prefilled from the admins' template for the chosen action and reason,
//    unless the moderator has written their own words.
(function () {
  "use strict";

  var form = document.querySelector("[data-decision-form]");
  var templates = {};
  var templatesNode = document.getElementById("explanation-templates");
  if (templatesNode) {
    try { templates = JSON.parse(templatesNode.textContent) || {}; } catch (e) { templates = {}; }
  }

  function checkedAction() {
    var checked = form && form.querySelector("input[name='action']:checked");
    return checked ? checked.value : "";
  }

  // --- sanction fields -----------------------------------------------------------------
  var sanctionFields = document.querySelector("[data-sanction-fields]");
  function showSanctionFields() {
    if (!sanctionFields) { return; }
    var action = checkedAction();
    var wanted = action === "mute" || action === "suspend";
    var invalid = sanctionFields.classList.contains("field-invalid");
    sanctionFields.hidden = !(wanted || invalid);
  }

  // --- explanation templates -----------------------------------------------------------
  var explanation = form && form.querySelector("textarea[name='explanation']");
  var reason = form && form.querySelector("select[name='reason']");
  var lastFilled = null;
  function prefill() {
    if (!explanation) { return; }
    var text = templates[checkedAction() + ":" + (reason ? reason.value : "")];
    var untouched = explanation.value.trim() === "" || explanation.value === lastFilled;
    if (text && untouched) {
      explanation.value = text;
      lastFilled = text;
    } else if (!text && lastFilled !== null && explanation.value === lastFilled) {
      explanation.value = "";
      lastFilled = null;
    }
  }

  if (form) {
    form.addEventListener("change", function (event) {
      var name = event.target && event.target.name;
      if (name === "action" || name === "reason") {
        showSanctionFields();
        prefill();
      }
    });
    showSanctionFields();
  }

  // --- keyboard shortcuts --------------------------------------------------------------
  var help = document.getElementById("shortcuts-help");
  var hint = document.querySelector("[data-shortcuts-hint]");
  if (hint && help && typeof help.showModal === "function") {
    hint.hidden = false;
    hint.querySelector("[data-shortcuts-open]").addEventListener("click", function () {
      help.showModal();
    });
  }

  function typing(target) {
    if (!target || !target.tagName) { return false; }
    var tag = target.tagName.toLowerCase();
    if (target.isContentEditable || tag === "textarea" || tag === "select") { return true; }
    if (tag !== "input") { return false; }
    var type = (target.type || "text").toLowerCase();
    return ["radio", "checkbox", "button", "submit", "reset"].indexOf(type) === -1;
  }

  function follow(selector) {
    var link = document.querySelector(selector);
    if (link) { window.location.assign(link.href); return true; }
    return false;
  }

  function choose(action, then) {
    if (!form) { return false; }
    var radio = form.querySelector("input[name='action'][value='" + action + "']");
    if (!radio) { return false; }
    radio.checked = true;
    radio.dispatchEvent(new Event("change", { bubbles: true }));
    var next = then === "reason" && reason ? reason : form.querySelector("[data-shortcut-apply]");
    if (next) { next.focus(); }
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (typing(event.target)) { return; }
    if (help && help.open) { return; }  // The dialog handles Esc itself.
    var done = false;
    switch (event.key) {
      case "j": done = follow("[data-shortcut-next]") || follow("[data-shortcut-first]"); break;
      case "k": done = follow("[data-shortcut-prev]"); break;
      case "a": done = choose("approve", "apply"); break;
      case "e": done = choose("keep", "apply"); break;
      case "h": done = choose("hide", "reason"); break;
      case "c":
        var claim = document.querySelector("[data-shortcut-claim]");
        if (claim) { claim.click(); done = true; }
        break;
      case "?":
        if (help && typeof help.showModal === "function") { help.showModal(); done = true; }
        break;
    }
    if (done) { event.preventDefault(); }
  });
})();
