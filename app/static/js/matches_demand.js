// Draws the cluster-demand heatmap from the JSON the page embeds (no inline script: CSP).
(function () {
  "use strict";
  var holder = document.getElementById("demand-heatmap");
  var source = document.getElementById("demand-heatmap-data");
  if (!holder || !source || typeof Plotly === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var rows = data.skills.length;
  Plotly.newPlot(
    holder,
    [
      {
        type: "heatmap",
        z: data.values,
        x: data.columns,
        y: data.skills,
        colorscale: "YlOrRd",
        hovertemplate: "%{y}<br>%{x}: demand %{z}<extra></extra>",
        colorbar: { title: { text: "demand" } },
      },
    ],
    {
      height: Math.max(320, 60 + rows * 24),
      margin: { l: 320, r: 20, t: 10, b: 120 },
      yaxis: { autorange: "reversed", automargin: true },
      xaxis: { tickangle: -30, automargin: true, title: { text: data.by } },
    },
    { displayModeBar: false, responsive: true }
  );
})();
