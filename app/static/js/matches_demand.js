// Draws the cluster-demand heatmap from the JSON the page embeds (no inline script: CSP), with
// charts.js. The words (skill names, column names, titles) come translated in
// #demand-heatmap-text.
(function () {
  "use strict";
  var PHONE_COLUMNS = 6;
  var holder = document.getElementById("demand-heatmap");
  var source = document.getElementById("demand-heatmap-data");
  var charts = window.KaushalSetuCharts;
  if (!holder || !source || typeof Plotly === "undefined" || !charts) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var words = document.getElementById("demand-heatmap-text");
  var text = Object.assign(
    { skills: data.skills, columns: data.columns, axis: data.by, demand: "Demand" },
    words ? JSON.parse(words.textContent) : {}
  );
  var narrow = charts.narrow();
  // A phone keeps the columns with the most demand (15 sectors were 14 px each, their names
  // unreadable) and says so; the filters above reach the others.
  var keep = data.columns.map(function (_, j) { return j; });
  if (narrow && keep.length > PHONE_COLUMNS) {
    var total = function (j) {
      return data.values.reduce(function (sum, row) { return sum + (row[j] || 0); }, 0);
    };
    keep = keep.sort(function (a, b) { return total(b) - total(a) || a - b; })
      .slice(0, PHONE_COLUMNS).sort(function (a, b) { return a - b; });
    var note = document.getElementById("demand-heatmap-note");
    if (note && text.phone_note) {
      note.textContent = text.phone_note.replace("%(shown)s", PHONE_COLUMNS)
        .replace("%(all)s", data.columns.length);
      note.hidden = false;
    }
  }
  var pick = function (row) { return keep.map(function (j) { return row[j]; }); };
  // On a phone the skill names take lines of their own and the colour scale lies above the
  // grid, leaving the columns wide enough for their names written upright, one beside the next
  // (slanted, "ऑटो पार्ट्स" and "ई-वेस्ट रिसायकलिंग" were drawn over each other).
  var skills = text.skills.map(function (name) { return charts.wrap(name, narrow ? 20 : 60); });
  var lines = charts.mostLines(skills);
  var rows = data.skills.length;
  var colorbar = narrow
    ? { orientation: "h", x: 0, xanchor: "left", y: 1, yanchor: "bottom", thickness: 12, len: 1,
        title: { text: text.demand, side: "top" } }
    : { title: { text: text.demand } };
  Plotly.newPlot(
    holder,
    [
      {
        type: "heatmap",
        // Zero demand is a blank cell, not the palest colour: only real demand is painted.
        z: data.values.map(function (row) {
          return pick(row).map(function (v) { return v > 0 ? v : null; });
        }),
        x: pick(text.columns),
        y: skills,
        customdata: data.values.map(function (row, i) {
          return pick(row).map(function () { return text.skills[i]; });
        }),
        // Sequential: pale yellow for little demand, dark red for the most (plotly's YlOrRd
        // runs the other way unless reversed).
        colorscale: "YlOrRd",
        reversescale: true,
        zmin: 1,
        hoverongaps: false,
        hovertemplate: "%{customdata}<br>%{x}<br>" + text.demand + ": %{z}<extra></extra>",
        colorbar: colorbar,
      },
    ],
    charts.layout({
      height: Math.max(320, 60 + rows * Math.max(24, 17 * lines + 8)) + (narrow ? 60 : 0),
      margin: narrow ? { l: 10, r: 10, t: 10, b: 10 } : { l: 320, r: 20, t: 10, b: 120 },
      yaxis: { autorange: "reversed" },
      // On a phone the heading above names the axis: its title lay over the upright names.
      xaxis: { tickangle: narrow ? -90 : -30, title: narrow ? undefined : { text: text.axis, standoff: 12 } },
    }),
    charts.config
  );
})();
