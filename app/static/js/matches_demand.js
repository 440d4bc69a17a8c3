// Draws the cluster-demand heatmap from the JSON the page embeds (no inline script: CSP). The
// words (skill names, column names, titles) come translated in #demand-heatmap-text.
(function () {
  "use strict";
  var holder = document.getElementById("demand-heatmap");
  var source = document.getElementById("demand-heatmap-data");
  if (!holder || !source || typeof Plotly === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var words = document.getElementById("demand-heatmap-text");
  var text = Object.assign(
    { skills: data.skills, columns: data.columns, axis: data.by, demand: "Demand" },
    words ? JSON.parse(words.textContent) : {}
  );
  var rows = data.skills.length;
  Plotly.newPlot(
    holder,
    [
      {
        type: "heatmap",
        // Zero demand is a blank cell, not the palest colour: only real demand is painted.
        z: data.values.map(function (row) { return row.map(function (v) { return v > 0 ? v : null; }); }),
        x: text.columns,
        y: text.skills,
        // Sequential: pale yellow for little demand, dark red for the most (plotly's YlOrRd
        // runs the other way unless reversed).
        colorscale: "YlOrRd",
        reversescale: true,
        zmin: 1,
        hoverongaps: false,
        hovertemplate: "%{y}<br>%{x}<br>" + text.demand + ": %{z}<extra></extra>",
        colorbar: { title: { text: text.demand } },
      },
    ],
    {
      height: Math.max(320, 60 + rows * 24),
      margin: { l: window.innerWidth < 576 ? 120 : 320, r: 20, t: 10, b: 120 },
      yaxis: { autorange: "reversed", automargin: true },
      xaxis: { tickangle: -30, automargin: true, title: { text: text.axis } },
    },
    { displayModeBar: false, responsive: true }
  );
})();
