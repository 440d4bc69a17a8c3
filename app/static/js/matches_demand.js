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
        z: data.values,
        x: text.columns,
        y: text.skills,
        colorscale: "YlOrRd",
        hovertemplate: "%{y}<br>%{x}<br>" + text.demand + ": %{z}<extra></extra>",
        colorbar: { title: { text: text.demand } },
      },
    ],
    {
      height: Math.max(320, 60 + rows * 24),
      margin: { l: 320, r: 20, t: 10, b: 120 },
      yaxis: { autorange: "reversed", automargin: true },
      xaxis: { tickangle: -30, automargin: true, title: { text: text.axis } },
    },
    { displayModeBar: false, responsive: true }
  );
})();
