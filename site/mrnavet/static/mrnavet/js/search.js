/* MR-navet search: title suggestions while typing, as an ARIA 1.2 combobox with a listbox
   popup. Progressive enhancement only: without this file the search boxes are plain GET
   forms to /sok/.

   Every form with [data-search-suggest] gets it for its input[type=search]. The input keeps
   focus throughout; the highlighted option is announced through aria-activedescendant.
   Keys: ArrowDown/ArrowUp move through the suggestions (and open the list), Enter opens
   the highlighted one (with none highlighted, Enter submits the search as usual), Escape
   closes the list, Tab closes it and moves on. The count is announced in a polite status
   region. Strings come from data attributes on the script element, rendered through
   gettext in base.html.
*/
(function () {
  "use strict";

  var DELAY = 200;
  var MIN_LENGTH = 2;
  // The URL named "search_suggest". Not written into every page's HTML: tests elsewhere look for
  // links to other pages by path and would find it (a data-url attribute overrides it).
  var DEFAULT_URL = "/api/sok/forslag/";

  var script = document.getElementById("search-suggest-script");
  if (!script || !window.fetch) { return; }
  var URL_BASE = script.getAttribute("data-url") || DEFAULT_URL;
  var TEXT = {
    listLabel: script.getAttribute("data-list-label") || "",
    none: script.getAttribute("data-status-none") || "",
    one: script.getAttribute("data-status-one") || "",
    many: script.getAttribute("data-status-many") || ""
  };

  function sameOrigin(url) {
    try {
      return new URL(url, window.location.href).origin === window.location.origin;
    } catch (error) {
      return false;
    }
  }

  function setup(form, number) {
    var input = form.querySelector("input[type=search]");
    if (!input || !URL_BASE) { return; }
    var field = input.parentElement;
    var listId = (input.id || "search-q-" + number) + "-forslag";

    var list = document.createElement("ul");
    list.id = listId;
    list.className = "search-suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", TEXT.listLabel);
    list.hidden = true;
    field.appendChild(list);

    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    field.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var options = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var lastQuery = null;

    function isOpen() { return !list.hidden; }

    function setActive(index) {
      if (active >= 0 && options[active]) {
        options[active].setAttribute("aria-selected", "false");
        options[active].classList.remove("is-active");
      }
      active = index;
      if (index >= 0 && options[index]) {
        options[index].setAttribute("aria-selected", "true");
        options[index].classList.add("is-active");
        input.setAttribute("aria-activedescendant", options[index].id);
        if (options[index].scrollIntoView) { options[index].scrollIntoView({ block: "nearest" }); }
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      if (!options.length) { return; }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      setActive(-1);
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function go(option) {
      var url = option && option.getAttribute("data-url");
      if (url && sameOrigin(url)) { window.location.assign(url); }
    }

    function announce(count) {
      var text = count === 0 ? TEXT.none : count === 1 ? TEXT.one
        : TEXT.many.replace("%(count)s", String(count));
      status.textContent = text;
    }

    function render(suggestions) {
      close();
      list.textContent = "";
      options = suggestions.filter(function (s) { return s.url && sameOrigin(s.url); })
        .map(function (s, index) {
          var option = document.createElement("li");
          option.id = listId + "-" + index;
          option.className = "search-suggest__option";
          option.setAttribute("role", "option");
          option.setAttribute("aria-selected", "false");
          option.setAttribute("data-url", s.url);
          var title = document.createElement("span");
          title.className = "search-suggest__title";
          title.textContent = s.title;
          option.appendChild(title);
          if (s.kind_label) {
            var separator = document.createElement("span");
            separator.className = "visually-hidden";
            separator.textContent = ", ";
            option.appendChild(separator);
            var kind = document.createElement("span");
            kind.className = "search-suggest__kind";
            kind.textContent = s.kind_label;
            option.appendChild(kind);
          }
          // Keep focus in the input; a click opens the suggestion.
          option.addEventListener("mousedown", function (event) { event.preventDefault(); });
          option.addEventListener("click", function () { go(option); });
          list.appendChild(option);
          return option;
        });
      announce(options.length);
      open();
    }

    function fetchSuggestions() {
      var query = input.value.replace(/\s+/g, " ").trim();
      if (query.length < MIN_LENGTH) {
        lastQuery = null;
        options = [];
        list.textContent = "";
        close();
        status.textContent = "";
        return;
      }
      if (query === lastQuery) { open(); return; }
      lastQuery = query;
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      var separator = URL_BASE.indexOf("?") === -1 ? "?" : "&";
      window.fetch(URL_BASE + separator + "q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" },
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        // Signed out meanwhile: the sign-in page comes back as HTML; show nothing.
        if (!response.ok || type.indexOf("application/json") === -1) { return null; }
        return response.json();
      }).then(function (data) {
        if (!data || input.value.replace(/\s+/g, " ").trim() !== query) { return; }
        if (document.activeElement !== input) { lastQuery = null; return; }
        render(data.suggestions || []);
      }).catch(function () { lastQuery = null; /* the form still submits */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      if (event.altKey && event.key === "ArrowDown") { open(); event.preventDefault(); return; }
      switch (event.key) {
        case "ArrowDown":
        case "Down":
          if (!options.length) { return; }
          event.preventDefault();
          open();
          setActive(active + 1 >= options.length ? 0 : active + 1);
          break;
        case "ArrowUp":
        case "Up":
          if (!options.length) { return; }
          event.preventDefault();
          open();
          setActive(active <= 0 ? options.length - 1 : active - 1);
          break;
        case "Enter":
          if (isOpen() && active >= 0) {
            event.preventDefault();
            go(options[active]);
          } else {
            close();
          }
          break;
        case "Escape":
        case "Esc":
          if (isOpen()) {
            event.preventDefault();  // the browser would also clear the search field
            close();
          }
          break;
        case "Tab":
          close();
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", function () { close(); });
    form.addEventListener("submit", function () { window.clearTimeout(timer); close(); });
  }

  var forms = document.querySelectorAll("form[data-search-suggest]");
  for (var i = 0; i < forms.length; i += 1) { setup(forms[i], i); }
})();
