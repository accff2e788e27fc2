// Keep the current clause visible in the clause navigation (a scrolling list beside the page),
// on load and after the navigation is refreshed by a save.
(function () {
  function centre() {
    var list = document.querySelector("#clause-nav .clause-list");
    var current = list && list.querySelector("[aria-current=page]");
    if (current) { list.scrollTop = current.offsetTop - list.clientHeight / 2; }
  }
  document.addEventListener("DOMContentLoaded", centre);
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "clause-nav") { centre(); }
  });
})();

// Nothing typed into an answer is lost (issue 12).
// - Every keystroke is kept in localStorage under the form's data-draft-key (user, assessment,
//   question) until a save of exactly that text succeeds; after a reload or a lost connection the
//   draft is offered back ("Restore draft" / "Discard").
// - When the server refuses a save because someone else saved first (409), the form is replaced by
//   the saved answer and a notice showing both texts; "Reapply my text" puts the user's notes back
//   and saves them on top of the current version. The notice goes with the next successful save
//   (the server empties it out of band).
(function () {
  var PREFIX = "sms-draft:";

  function storage() {
    try { return window.localStorage; } catch (error) { return null; }  // private modes may refuse
  }
  function readDraft(key) {
    var store = storage();
    if (!store || !key) { return null; }
    try { return JSON.parse(store.getItem(key) || "null"); } catch (error) { return null; }
  }
  function writeDraft(key, draft) {
    var store = storage();
    if (!store || !key) { return; }
    try { store.setItem(key, JSON.stringify(draft)); } catch (error) { /* quota: keep working */ }
  }
  function dropDraft(key) {
    var store = storage();
    if (store && key) { store.removeItem(key); }
  }

  function answerForm(element) {
    return element && element.closest ? element.closest("form.answer-form[data-draft-key]") : null;
  }
  function notes(form) { return form.querySelector("textarea[name=notes]"); }
  function checkedResult(form) {
    var radio = form.querySelector("input[name=result]:checked");
    return radio ? radio.value : "";
  }
  function savedResult(form) {
    var radio = Array.prototype.find.call(form.querySelectorAll("input[name=result]"), function (r) {
      return r.defaultChecked;
    });
    return radio ? radio.value : "";
  }
  function setResult(form, value) {
    var radio = value && form.querySelector("input[name=result][value='" + value + "']");
    if (radio) { radio.checked = true; }
  }
  function save(form) { window.htmx.trigger(form, "change"); }

  function remember(form) {
    writeDraft(form.dataset.draftKey, {
      notes: notes(form).value,
      result: checkedResult(form),
      baseResult: savedResult(form),
      at: Date.now()
    });
  }

  function showOffline(form, shown) {
    var box = form.querySelector("[data-offline]");
    if (box) { box.hidden = !shown; }
  }

  function offerDraft(form) {
    var draft = readDraft(form.dataset.draftKey);
    var offer = form.querySelector("[data-draft-offer]");
    if (!draft || !offer) { return; }
    var resultChanged = draft.result && draft.result !== draft.baseResult && draft.result !== savedResult(form);
    if (draft.notes === notes(form).value && !resultChanged) {
      dropDraft(form.dataset.draftKey);  // what was typed is what is saved
      return;
    }
    offer.querySelector("[data-draft-text]").textContent = draft.notes || "(no notes)";
    offer.querySelector("[data-draft-time]").textContent = new Date(draft.at).toLocaleString("en-GB", {
      day: "numeric", month: "short", hour: "2-digit", minute: "2-digit"
    });
    offer.hidden = false;
  }

  function fillConflict(form) {
    // The server shows the notes it received; the draft may hold a few keystrokes more.
    var button = form.querySelector("[data-reapply]");
    var draft = readDraft(form.dataset.draftKey);
    if (!button || !draft || typeof draft.notes !== "string") { return; }
    button.dataset.mine = draft.notes;
    var shown = form.querySelector("[data-mine-notes]");
    if (shown) { shown.textContent = draft.notes || "(no notes)"; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.answer-form[data-draft-key]").forEach(offerDraft);
  });

  document.addEventListener("input", function (event) {
    var form = answerForm(event.target);
    if (form) { remember(form); }
  });

  document.addEventListener("click", function (event) {
    var form = answerForm(event.target);
    if (!form) { return; }
    var button = event.target.closest("[data-reapply], [data-draft-restore], [data-draft-discard]");
    if (!button) { return; }
    if (button.hasAttribute("data-reapply")) {
      notes(form).value = button.dataset.mine || "";
      remember(form);
      save(form);
    } else if (button.hasAttribute("data-draft-restore")) {
      var draft = readDraft(form.dataset.draftKey) || {};
      notes(form).value = draft.notes || "";
      if (draft.result && draft.result !== draft.baseResult) { setResult(form, draft.result); }
      form.querySelector("[data-draft-offer]").hidden = true;
      remember(form);
      save(form);
      notes(form).focus();
    } else {
      dropDraft(form.dataset.draftKey);
      form.querySelector("[data-draft-offer]").hidden = true;
    }
  });

  // What a request sends, to know after it succeeded whether the draft is now saved.
  document.addEventListener("htmx:configRequest", function (event) {
    var form = answerForm(event.detail.elt);
    if (!form) { return; }
    form.dataset.sentNotes = notes(form).value;
    form.dataset.sentResult = checkedResult(form);
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = answerForm(event.detail.elt);
    if (!form || !event.detail.xhr) { return; }
    var status = event.detail.xhr.status;
    if (status >= 200 && status < 300) {
      showOffline(form, false);
      var draft = readDraft(form.dataset.draftKey);
      if (draft && draft.notes === form.dataset.sentNotes && draft.result === form.dataset.sentResult) {
        dropDraft(form.dataset.draftKey);
      }
      var offer = form.querySelector("[data-draft-offer]");
      if (offer) { offer.hidden = true; }
    } else if (status !== 409 && status !== 422) {
      showOffline(form, true);  // 5xx, 403…: not saved, and htmx swaps nothing
    }
  });

  document.addEventListener("htmx:sendError", function (event) {
    var form = answerForm(event.detail.elt);
    if (form) { remember(form); showOffline(form, true); }
  });

  // After a refused save the whole form was replaced (outerHTML, so the event's target is the
  // detached old form): show the user's latest text in the notice of the new one.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.xhr || event.detail.xhr.status !== 409) { return; }
    var old = event.detail.target;
    var form = old && old.id ? document.getElementById(old.id) : null;
    if (form && form.matches("form.answer-form[data-draft-key]")) { fillConflict(form); }
  });

  // Back online: save what is still waiting.
  window.addEventListener("online", function () {
    document.querySelectorAll("form.answer-form[data-draft-key]").forEach(function (form) {
      var draft = readDraft(form.dataset.draftKey);
      if (draft && form.querySelector("[data-offline]:not([hidden])")) { save(form); }
    });
  });
})();
