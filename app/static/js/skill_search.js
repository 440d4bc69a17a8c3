// Skill search as you type, shared by the skills page (workers_skills.js) and the skill picker of
// course and posting forms (skill_picker.js); each page shows the matches its own way. Without
// JavaScript the pages' search buttons post the form and the server renders the matches.
(function () {
  "use strict";
  // Asks `url` for the skills matching the input's text (two characters or more, 250 ms after the
  // last key) and hands the newest answer to show(items, query); items is null when the server
  // refused the search. Returns a function that searches at once (for Enter or a button).
  window.liveSkillSearch = function (input, url, show) {
    var timer = null;
    var latest = 0;

    function find() {
      window.clearTimeout(timer);
      var query = input.value.trim();
      if (query.length < 2) {
        return;
      }
      var ticket = ++latest;
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (items) {
          if (ticket === latest) {
            show(items, query);
          }
        })
        .catch(function () {
          /* the search button still works */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(find, 250);
    });
    return find;
  };
})();
