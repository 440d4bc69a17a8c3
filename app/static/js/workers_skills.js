// Skills editor: the matches of the live search (skill_search.js) as the worker types. Without
// JavaScript the search form still works (the server renders the results), so this only saves a
// page load.
(function () {
  "use strict";
  var form = document.getElementById("skill-search-form");
  var results = document.getElementById("skill-results");
  var template = document.getElementById("skill-add-template");
  if (!form || !results || !template) {
    return;
  }
  // Words people read come translated from the page (the CSP allows no inline script).
  var alsoLabel = form.getAttribute("data-also-label") || "also:";
  var heldLabel = form.getAttribute("data-held-label") || "on your profile";
  // The skills the worker holds, with their levels: a match they hold shows its own level, so
  // saving it does not quietly change it.
  var held = JSON.parse(form.getAttribute("data-held") || "{}");

  function render(items) {
    results.textContent = "";
    var empty = document.getElementById("skill-no-results");
    if (empty) {
      empty.remove();
    }
    items.forEach(function (item) {
      var node = template.content.cloneNode(true);
      var name = item.name || item.label;
      node.querySelector("[data-field=name]").textContent = name;
      // The English ESCO label beneath, as on the rest of the page, when the name differs.
      node.querySelector("[data-field=label]").textContent = name === item.label ? "" : item.label;
      node.querySelector("[data-field=aliases]").textContent = item.aliases.length
        ? alsoLabel + " " + item.aliases.join(", ")
        : "";
      node.querySelector("[data-field=uri]").value = item.uri;
      if (Object.prototype.hasOwnProperty.call(held, item.uri)) {
        node.querySelector("select").value = String(held[item.uri]);
        var badge = document.createElement("span");
        badge.className = "badge text-bg-light ms-1";
        badge.textContent = heldLabel;
        node.querySelector("[data-field=name]").after(badge);
      }
      results.appendChild(node);
    });
  }

  var input = form.querySelector("input[name=q]");
  window.liveSkillSearch(input, form.getAttribute("data-search-url"), function (items) {
    render(items || []);
  });
})();
