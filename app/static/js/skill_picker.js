// The skill picker of course and posting forms (_skill_picker.html). Without JavaScript every step
// posts the form and the server answers; this only saves those round trips: matches appear as the
// person types (the live search of skill_search.js), a ticked match becomes a chip at once (where
// the form shows chips), and a chip's remove button takes it away in place. The words come
// translated from the page's data attributes.
(function () {
  "use strict";
  var search = document.querySelector("[data-skill-search]");
  if (!search) {
    return;
  }
  var input = search.querySelector("input[name=skill_query]");
  var findButton = search.querySelector("[name=find]");
  var box = search.querySelector("[data-skill-results-box]");
  var results = search.querySelector("[data-skill-results]");
  var searchStatus = search.querySelector("[data-skill-search-status]");
  var resultTemplate = search.querySelector("[data-skill-result-template]");
  var chooser = document.querySelector("[data-skill-chooser]");
  var chips = chooser && chooser.querySelector("[data-skill-chips]");

  function words(element, name, value) {
    return (element.getAttribute(name) || "%s").replace("%s", value);
  }

  function chosenUris() {
    var uris = {};
    if (chips) {
      chips.querySelectorAll("input[name=skill]").forEach(function (hidden) {
        uris[hidden.value] = true;
      });
    }
    return uris;
  }

  function announce(text) {
    var status = chooser.querySelector("[data-skill-status]");
    status.textContent = "";
    // A fresh text node, so that a screen reader reads the same words twice in a row too.
    window.setTimeout(function () {
      status.textContent = text;
    }, 50);
  }

  function showEmptyNote() {
    var empty = chooser.querySelector("[data-skill-chips-empty]");
    if (empty) {
      empty.hidden = chips.querySelector("[data-skill-chip]") !== null;
    }
  }

  function removeChip(button) {
    var chip = button.closest("[data-skill-chip]");
    var next = chip.nextElementSibling || chip.previousElementSibling;
    var name = chip.querySelector(".skill-pick-name").textContent.trim().replace(/\s+/g, " ");
    chip.remove();
    showEmptyNote();
    announce(words(chooser, "data-removed-text", name));
    (next ? next.querySelector("[data-skill-remove]") : input).focus();
  }

  function addChip(item) {
    var node = chooser.querySelector("[data-skill-chip-template]").content.cloneNode(true);
    var button = node.querySelector("[data-skill-remove]");
    node.querySelector("input[name=skill]").value = item.uri;
    node.querySelector("[data-field=name]").textContent = item.name;
    node.querySelector("[data-field=label]").textContent = item.name === item.label ? "" : item.label;
    button.value = item.uri;
    button.setAttribute("aria-label", words(button, "data-label-pattern", item.name));
    chips.appendChild(node);
    showEmptyNote();
    announce(words(chooser, "data-added-text", item.name));
  }

  function render(items, query) {
    var taken = chosenUris();
    results.textContent = "";
    items = items.filter(function (item) {
      return !taken[item.uri];
    });
    items.forEach(function (item, index) {
      var node = resultTemplate.content.cloneNode(true);
      var checkbox = node.querySelector("input");
      var label = node.querySelector("label");
      checkbox.value = item.uri;
      checkbox.id = "skill-match-" + index;
      checkbox.setAttribute("data-name", item.name);
      checkbox.setAttribute("data-label", item.label);
      label.setAttribute("for", checkbox.id);
      node.querySelector("[data-field=name]").textContent = item.name;
      node.querySelector("[data-field=label]").textContent = item.name === item.label ? "" : item.label;
      node.querySelector("[data-field=aliases]").textContent = item.aliases.length
        ? words(search, "data-also-label", item.aliases.join(", "))
        : "";
      results.appendChild(node);
    });
    box.hidden = items.length === 0;
    box.querySelector("legend").textContent = search.getAttribute("data-legend");
    searchStatus.textContent = items.length ? "" : words(search, "data-none-text", query);
  }

  var url = search.getAttribute("data-search-url");
  var find = window.liveSkillSearch(input, url, function (items, query) {
    if (items) {
      render(items, query);
    }
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      // Enter in the search box searches (without JavaScript it posts the form, which saves).
      event.preventDefault();
      find();
    }
  });
  if (findButton) {
    findButton.addEventListener("click", function (event) {
      if (input.value.trim().length >= 2) {
        event.preventDefault();
        find();
      }
    });
  }

  if (!chips) {
    return; // a form without chips adds the ticked matches when it is saved
  }
  results.addEventListener("change", function (event) {
    var checkbox = event.target;
    if (!checkbox.matches("input[name=add_skill]") || !checkbox.checked) {
      return;
    }
    var row = checkbox.closest("[data-skill-result]");
    var name =
      checkbox.getAttribute("data-name") ||
      row.querySelector(".skill-name").textContent.trim();
    var english =
      checkbox.getAttribute("data-label") ||
      (row.querySelector(".skill-name-en") || row.querySelector(".skill-name")).textContent.trim();
    addChip({ uri: checkbox.value, name: name, label: english });
    var next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    if (next) {
      next.querySelector("input").focus();
    } else {
      box.hidden = true;
      input.focus();
    }
  });
  chips.addEventListener("click", function (event) {
    var button = event.target.closest("[data-skill-remove]");
    if (button) {
      event.preventDefault();
      removeChip(button);
    }
  });
})();
