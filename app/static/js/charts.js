// What every chart of the app shares, loaded after the plotly bundle and before a page's chart
// script. No mode bar: its English tool names sat on top of the bars on a phone, and its zoom,
// pan and select only trap a finger that meant to scroll the page, so axes do not zoom either.
// Long names (courses, institutions, skills, sectors) are broken into lines instead of cut.
(function () {
  "use strict";

  function fixed(axis) {
    return Object.assign({ fixedrange: true, automargin: true }, axis || {});
  }

  window.KaushalSetuCharts = {
    config: { displayModeBar: false, responsive: true },

    // Phone width, as app.css's breakpoint for stacked tables.
    narrow: function () {
      return window.innerWidth < 576;
    },

    // A layout whose axes neither zoom nor pan, and make room for their labels.
    layout: function (layout) {
      return Object.assign({ dragmode: false }, layout, {
        xaxis: fixed(layout.xaxis),
        yaxis: fixed(layout.yaxis),
      });
    },

    // The label in lines of about `width` characters, broken between words (plotly's <br>).
    wrap: function (label, width) {
      var lines = [];
      String(label).split(/\s+/).forEach(function (word) {
        var last = lines.length - 1;
        if (last >= 0 && (lines[last] + " " + word).length <= width) {
          lines[last] += " " + word;
        } else {
          lines.push(word);
        }
      });
      return lines.join("<br>");
    },

    // The most lines any of these wrapped labels takes (to size the rows that hold them).
    mostLines: function (labels) {
      return Math.max.apply(null, labels.map(function (label) { return label.split("<br>").length; }));
    },
  };
})();
