/* MR-navet forum: progressive enhancement only. Everything works without this file:
   - live preview: the server renders the Markdown through the same sanitiser as posts
     (forum:preview) and returns an HTML fragment; without JS "Förhandsgranska" submits;
   - draft autosave to forum:save_draft; without JS "Spara utkast" submits;
   - quoting a text selection; without JS the "Citera" link reloads with the quote filled in.
*/
(function () {
  "use strict";

  var PREVIEW_DELAY = 700;
  var DRAFT_DELAY = 3000;

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(url, form, fields) {
    var body = new FormData();
    Object.keys(fields).forEach(function (key) { body.append(key, fields[key]); });
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(form), "X-Requested-With": "fetch" }
    });
  }

  function debounce(fn, delay) {
    var timer = null;
    return function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fn, delay);
    };
  }

  function setupEditor(form) {
    var textarea = form.querySelector("textarea[name=text]");
    if (!textarea) { return; }
    var previewUrl = form.getAttribute("data-preview-url");
    var draftUrl = form.getAttribute("data-draft-url");
    var region = form.querySelector("[data-preview-target]");
    var previewBody = form.querySelector("[data-preview-body]");
    var previewButton = form.querySelector("[data-preview-button]");
    var status = form.querySelector("[data-draft-status]");
    var lastPreviewed = null;
    var lastSaved = textarea.value;

    function renderPreview() {
      if (!previewUrl || !region || !previewBody) { return Promise.resolve(); }
      var text = textarea.value;
      if (text === lastPreviewed) { return Promise.resolve(); }
      lastPreviewed = text;
      return post(previewUrl, form, { text: text }).then(function (response) {
        return response.text().then(function (html) {
          if (!response.ok) { previewBody.textContent = html; return; }
          // The fragment comes from the server's sanitiser (forum.markup), as stored posts do.
          previewBody.innerHTML = html;
          region.hidden = false;
        });
      }).catch(function () { lastPreviewed = null; });
    }

    function saveDraft() {
      if (!draftUrl || textarea.value === lastSaved) { return Promise.resolve(); }
      var text = textarea.value;
      return post(draftUrl, form, { text: text }).then(function (response) {
        if (response.ok) {
          lastSaved = text;
          if (status) {
            var now = new Date();
            status.textContent = "Utkastet sparades " + now.toLocaleTimeString("sv-SE", { hour: "2-digit", minute: "2-digit" });
          }
        }
      }).catch(function () { /* the server-side draft is saved on submit as well */ });
    }

    var schedulePreview = debounce(renderPreview, PREVIEW_DELAY);
    var scheduleDraft = debounce(saveDraft, DRAFT_DELAY);

    textarea.addEventListener("input", function () {
      if (region && !region.hidden) { schedulePreview(); }
      scheduleDraft();
    });
    if (previewButton) {
      previewButton.addEventListener("click", function (event) {
        event.preventDefault();
        lastPreviewed = null;
        renderPreview().then(function () { if (region) { region.hidden = false; } });
      });
    }
    form.addEventListener("submit", function () { lastSaved = textarea.value; });
    form.forumSaveDraft = saveDraft;
    form.forumTextarea = textarea;
  }

  function escapeMarkdown(text) {
    return text.replace(/[\\`*_\[\]()<>#!|~]/g, "\\$&");
  }

  function quoteSelection(link, textarea) {
    var article = link.closest("article");
    var selection = window.getSelection ? window.getSelection() : null;
    if (!article || !selection || selection.isCollapsed || selection.rangeCount === 0) { return false; }
    var range = selection.getRangeAt(0);
    if (!article.contains(range.commonAncestorContainer)) { return false; }
    var text = selection.toString().trim();
    if (!text) { return false; }
    var lines = ["> [" + escapeMarkdown(link.getAttribute("data-author") || "") + " skrev](" +
                 link.getAttribute("data-permalink") + "):", ">"];
    text.split(/\r?\n/).forEach(function (line) { lines.push(line.trim() ? "> " + line : ">"); });
    var current = textarea.value.replace(/\s+$/, "");
    textarea.value = (current ? current + "\n\n" : "") + lines.join("\n") + "\n\n";
    textarea.dispatchEvent(new Event("input"));
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    return true;
  }

  function setupQuotes() {
    var replyForm = document.querySelector("#svara form[data-editor]");
    if (!replyForm || !replyForm.forumTextarea) { return; }
    document.querySelectorAll("a[data-quote]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (quoteSelection(link, replyForm.forumTextarea)) {
          event.preventDefault();
          return;
        }
        // Whole post: the server fills in the quote after the saved draft, so save first.
        event.preventDefault();
        replyForm.forumSaveDraft().then(function () { window.location.href = link.href; });
      });
    });
  }

  document.querySelectorAll("form[data-editor]").forEach(setupEditor);
  setupQuotes();
})();
