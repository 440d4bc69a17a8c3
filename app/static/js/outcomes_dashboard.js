// Outcome dashboard charts. The page carries its figures in <script type="application/json"
// id="outcomes-chart-data"> (no inline code: CSP script-src 'self'); this file draws them with
// the locally served Plotly bundle. Hidden (suppressed) figures arrive as null and are left out.
// Words come translated from the page, in <script type="application/json" id="outcomes-chart-text">.
(function () {
  "use strict";
  var source = document.getElementById("outcomes-chart-data");
  if (!source || typeof window.Plotly === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var words = document.getElementById("outcomes-chart-text");
  var text = Object.assign(
    {
      hidden: "hidden",
      no_figures: "No figures to show.",
      placement_rate: "Placement rate",
      no_placement_rate: "No placement rate to show for these months.",
      median_wage: "Median wage (₹)",
      no_wages: "No wages to show for these months.",
      retention_3m: "Retention 3m",
      no_breakdown: "No group has a placement or retention rate to chart.",
    },
    words ? JSON.parse(words.textContent) : {}
  );
  var config = { displaylogo: false, responsive: true };
  var margin = { l: 60, r: 20, t: 10, b: 50 };

  function draw(id, traces, layout) {
    var node = document.getElementById(id);
    if (!node) {
      return;
    }
    window.Plotly.newPlot(node, traces, Object.assign({ margin: margin }, layout || {}), config);
  }

  function known(values) {
    return values.some(function (value) {
      return value !== null;
    });
  }

  function showEmpty(id, text) {
    var node = document.getElementById(id);
    if (node) {
      node.classList.add("text-muted", "small");
      node.style.height = "auto";
      node.textContent = text;
    }
  }

  var funnel = data.funnel;
  if (known(funnel.values)) {
    draw(
      "chart-funnel",
      [
        {
          // A funnel drawn as horizontal bars: the partial plotly bundle has bars, not funnels.
          type: "bar",
          orientation: "h",
          y: funnel.stages,
          x: funnel.values.map(function (v) { return v === null ? 0 : v; }),
          text: funnel.values.map(function (v) { return v === null ? text.hidden : v.toLocaleString("en-IN"); }),
          textposition: "auto",
          hoverinfo: "y+text",
        },
      ],
      { margin: { l: 140, r: 20, t: 10, b: 20 }, yaxis: { autorange: "reversed" } }
    );
  } else {
    showEmpty("chart-funnel", text.no_figures);
  }

  var series = data.series;
  if (known(series.placement_rate)) {
    draw(
      "chart-series-rate",
      [{ type: "scatter", mode: "lines+markers", x: series.months, y: series.placement_rate,
         name: text.placement_rate, connectgaps: false }],
      { yaxis: { tickformat: ".0%", rangemode: "tozero" } }
    );
  } else {
    showEmpty("chart-series-rate", text.no_placement_rate);
  }
  if (known(series.median_monthly_wage)) {
    draw(
      "chart-series-wage",
      [{ type: "scatter", mode: "lines+markers", x: series.months, y: series.median_monthly_wage,
         name: text.median_wage, connectgaps: false }],
      { yaxis: { tickprefix: "₹", separatethousands: true, rangemode: "tozero" } }
    );
  } else {
    showEmpty("chart-series-wage", text.no_wages);
  }

  var breakdown = data.breakdown;
  if (breakdown.keys.length && (known(breakdown.placement_rate) || known(breakdown.retention_rate_3m))) {
    draw(
      "chart-breakdown",
      [
        { type: "bar", name: text.placement_rate, x: breakdown.keys, y: breakdown.placement_rate },
        { type: "bar", name: text.retention_3m, x: breakdown.keys, y: breakdown.retention_rate_3m },
      ],
      { barmode: "group", yaxis: { tickformat: ".0%", range: [0, 1] }, legend: { orientation: "h" } }
    );
  } else if (breakdown.keys.length) {
    showEmpty("chart-breakdown", text.no_breakdown);
  }
})();
