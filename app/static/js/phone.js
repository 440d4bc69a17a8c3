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
