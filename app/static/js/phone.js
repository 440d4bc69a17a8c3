// Phone-width tables: each cell is labelled with its column's (already translated) header, so the
// stacked cards of app.css read "Batch: B001" instead of a bare value. Cells that a template
// labelled itself keep their label; a cell across the whole row is a message ("No jobs yet."), not
// a value of the first column, and takes no label.
(function () {
  "use strict";
  document.querySelectorAll("main table.table").forEach(function (table) {
    const headers = Array.from(table.querySelectorAll(":scope > thead > tr:last-child > th")).map(function (th) {
      return (th.innerText || th.textContent || "").trim();
    });
    if (!headers.length) return;
    table.querySelectorAll(":scope > tbody > tr, :scope > tfoot > tr").forEach(function (row) {
      let column = 0;
      Array.from(row.children).forEach(function (cell) {
        const wholeRow = cell.colSpan > 1 && cell.colSpan >= headers.length;
        if (!wholeRow && !cell.hasAttribute("data-label") && headers[column] !== undefined) {
          cell.setAttribute("data-label", headers[column]);
        }
        column += cell.colSpan || 1;
      });
    });
  });
})();

// A long table of figures marked data-fold-figures shows, on a phone, each group's headline
// figures; the group's own "All figures" button, after them, opens the rest (cells marked
// figure-more). Without this script every figure stays shown.
(function () {
  "use strict";
  document.querySelectorAll("main table[data-fold-figures]").forEach(function (table) {
    const more = table.dataset.moreLabel;
    const less = table.dataset.lessLabel;
    table.classList.add("figures-folding");
    table.querySelectorAll(":scope > tbody > tr, :scope > tfoot > tr").forEach(function (row) {
      if (!row.querySelector(":scope > td.figure-more")) return;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-link btn-sm figures-toggle";
      button.setAttribute("aria-expanded", "false");
      button.textContent = more;
      button.addEventListener("click", function () {
        const open = row.classList.toggle("figures-open");
        button.setAttribute("aria-expanded", open ? "true" : "false");
        button.textContent = open ? less : more;
      });
      const cell = document.createElement("td");
      cell.className = "figures-toggle-cell";
      cell.appendChild(button);
      row.appendChild(cell);
    });
    // Wider screens: one button for the whole table's other columns (16 side by side ran to
    // 2,270 px, the wage and gap columns out of sight).
    const columns = document.createElement("button");
    columns.type = "button";
    columns.className = "btn btn-outline-secondary btn-sm mb-2 figures-columns-toggle";
    columns.setAttribute("aria-expanded", "false");
    columns.setAttribute("aria-controls", table.id);
    columns.textContent = more;
    columns.addEventListener("click", function () {
      const open = table.classList.toggle("columns-open");
      columns.setAttribute("aria-expanded", open ? "true" : "false");
      columns.textContent = open ? less : more;
    });
    const holder = table.closest(".table-responsive") || table;
    holder.parentNode.insertBefore(columns, holder);
  });
})();

// A text box with a limit counts its characters once it nears the limit ("4,612 / 5,000"), so
// a long description is not cut off or refused unannounced.
(function () {
  "use strict";
  document.querySelectorAll("main textarea[maxlength]").forEach(function (box) {
    const limit = parseInt(box.getAttribute("maxlength"), 10);
    if (!(limit > 0)) return;
    const count = document.createElement("div");
    count.className = "form-text text-end text-count";
    count.setAttribute("aria-live", "polite");
    box.insertAdjacentElement("afterend", count);
    const show = function () {
      const used = box.value.length;
      count.hidden = used < limit * 0.8;
      // Digits as the rest of the page writes them (en-IN grouping), whatever the browser's locale.
      count.textContent = used.toLocaleString("en-IN") + " / " + limit.toLocaleString("en-IN");
    };
    box.addEventListener("input", show);
    show();
  });
})();

// Every password box can be shown as typed: on a phone keyboard a slip is easy and unseen, and
// a shown password is the usual answer to "type it twice" (one box, checked by eye).
(function () {
  "use strict";
  const script = document.currentScript;
  const showLabel = script && script.dataset.showPassword;
  const hideLabel = script && script.dataset.hidePassword;
  if (!showLabel || !hideLabel) return;
  document.querySelectorAll("main input[type=password]").forEach(function (box) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-link btn-sm px-0 password-toggle";
    button.setAttribute("aria-pressed", "false");
    if (box.id) button.setAttribute("aria-controls", box.id);
    button.textContent = showLabel;
    button.addEventListener("click", function () {
      const shown = box.type === "password";
      box.type = shown ? "text" : "password";
      button.setAttribute("aria-pressed", shown ? "true" : "false");
      button.textContent = shown ? hideLabel : showLabel;
      box.focus();
    });
    box.insertAdjacentElement("afterend", button);
  });
})();

// A page sent back with a refusal shows its first marked box: a page that comes back at a
// fragment ("#suggest-skills") or at its top left the message out of sight on a phone. Runs
// after the browser has scrolled to the fragment; a fragment that holds a marked box wins.
window.addEventListener("load", function () {
  "use strict";
  const marked = document.querySelector("main .is-invalid, main .invalid-feedback.d-block");
  if (!marked) return;
  const target = window.location.hash && document.getElementById(window.location.hash.slice(1));
  if (target && target.querySelector(".is-invalid, .invalid-feedback.d-block")) return;
  window.setTimeout(function () {
    marked.scrollIntoView({ block: "center" });
  }, 0);
});
