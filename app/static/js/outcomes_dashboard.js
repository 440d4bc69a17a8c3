// Outcome dashboard charts. The page carries its figures in <script type="application/json"
// id="outcomes-chart-data"> (no inline code: CSP script-src 'self'); this file draws them with
// the locally served Plotly bundle and charts.js. Hidden (suppressed) figures arrive as null and
// are left out. Words come translated from the page, in <script type="application/json"
// id="outcomes-chart-text">; month names, wages and counts come written in the page's language
// with the figures, so no Plotly format prints English months or "₹15k".
(function () {
  "use strict";
  var source = document.getElementById("outcomes-chart-data");
  var charts = window.KaushalSetuCharts;
  if (!source || typeof window.Plotly === "undefined" || !charts) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var words = document.getElementById("outcomes-chart-text");
  var text = Object.assign(
    {
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
  var margin = { l: 10, r: 20, t: 10, b: 10 };

  function draw(id, traces, layout) {
    var node = document.getElementById(id);
    if (!node) {
      return;
    }
    if (layout.height) {
      node.style.height = layout.height + "px";
    }
    window.Plotly.newPlot(node, traces, charts.layout(Object.assign({ margin: margin }, layout)), charts.config);
  }

  function known(values) {
    return values.some(function (value) {
      return value !== null;
    });
  }

  function showEmpty(id, text) {
    var node = document.getElementById(id);
    if (node) {
      // Plain text now, read as it is: no longer the chart image its label described.
      node.removeAttribute("role");
      node.removeAttribute("aria-label");
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
          text: funnel.texts,
          textposition: "auto",
          hoverinfo: "y+text",
        },
      ],
      { yaxis: { autorange: "reversed" } }
    );
  } else {
    showEmpty("chart-funnel", text.no_figures);
  }

  var series = data.series;
  // Month names on a category axis (one point per month end): Plotly's date axis names months
  // in English only. About four named on a phone, eight on a wider screen, the last always.
  var every = Math.ceil(series.months.length / (charts.narrow() ? 4 : 8));
  var named = series.months.filter(function (month, i) {
    return (series.months.length - 1 - i) % every === 0;
  });
  var months = { type: "category", tickangle: 0, tickmode: "array", tickvals: named, ticktext: named };
  if (known(series.placement_rate)) {
    draw(
      "chart-series-rate",
      [{ type: "scatter", mode: "lines+markers", x: series.months, y: series.placement_rate,
         name: text.placement_rate, connectgaps: false,
         hovertemplate: "%{x}<br>%{y:.1%}<extra></extra>" }],
      { xaxis: months, yaxis: { tickformat: ".0%", rangemode: "tozero" } }
    );
  } else {
    showEmpty("chart-series-rate", text.no_placement_rate);
  }
  if (known(series.median_monthly_wage)) {
    var ticks = series.wage_ticks;
    draw(
      "chart-series-wage",
      [{ type: "scatter", mode: "lines+markers", x: series.months, y: series.median_monthly_wage,
         name: text.median_wage, connectgaps: false, customdata: series.wage_texts,
         hovertemplate: "%{x}<br>%{customdata}<extra></extra>" }],
      {
        xaxis: months,
        // Rupees as the app writes them elsewhere (₹15,000, grouped the Indian way).
        yaxis: { tickmode: "array", tickvals: ticks.values, ticktext: ticks.texts,
                 range: [0, ticks.values[ticks.values.length - 1]] },
      }
    );
  } else {
    showEmpty("chart-series-wage", text.no_wages);
  }

  var breakdown = data.breakdown;
  if (breakdown.keys.length && (known(breakdown.placement_rate) || known(breakdown.retention_rate_3m))) {
    // Horizontal bars: a course's or an institution's name is written out, in lines, to the
    // left of its bars, where an upright bar chart cut it to its first letters.
    var names = breakdown.keys.map(function (key) { return charts.wrap(key, charts.narrow() ? 24 : 40); });
    var lines = charts.mostLines(names);
    var bar = function (name, values) {
      return { type: "bar", orientation: "h", name: name, y: names, x: values, customdata: breakdown.keys,
               hovertemplate: "%{customdata}<br>" + name + ": %{x:.1%}<extra></extra>" };
    };
    draw(
      "chart-breakdown",
      [bar(text.placement_rate, breakdown.placement_rate), bar(text.retention_3m, breakdown.retention_rate_3m)],
      {
        barmode: "group",
        height: 90 + breakdown.keys.length * Math.max(40, 15 * lines + 14),
        xaxis: { tickformat: ".0%", range: [0, 1] },
        yaxis: { autorange: "reversed" },
        // The legend above the bars, never on top of the names.
        legend: { orientation: "h", x: 0, xanchor: "left", y: 1, yanchor: "bottom" },
      }
    );
  } else if (breakdown.keys.length) {
    showEmpty("chart-breakdown", text.no_breakdown);
  }
})();
