// Draw Gold Rush charts with the self-hosted Vega bundle (window.vegaEmbed), as SVG.
// Charts are redrawn with light-on-dark colours when the reader switches the theme to dark.
(function () {
  "use strict";
  const DARK = {
    title: { color: "#e8e8e8", subtitleColor: "#c4c4c4" },
    axis: { labelColor: "#d0d0d0", titleColor: "#e0e0e0", gridColor: "#555555", domainColor: "#999999", tickColor: "#999999" },
    legend: { labelColor: "#d0d0d0", titleColor: "#e0e0e0" },
    text: { color: "#e0e0e0" },
    mark: { color: "#8fd16a" },
  };
  const charts = [];

  function isDark() {
    return document.documentElement.dataset.theme === "dark";
  }

  function merge(base, extra) {
    const out = Object.assign({}, base);
    for (const [key, value] of Object.entries(extra)) {
      out[key] = value && typeof value === "object" && !Array.isArray(value) ? merge(base[key] || {}, value) : value;
    }
    return out;
  }

  function draw(chart) {
    const spec = isDark() ? merge(chart.spec, { config: merge(chart.spec.config || {}, DARK) }) : chart.spec;
    window
      .vegaEmbed(chart.element, spec, { renderer: "svg", actions: false })
      .then(function (result) {
        if (chart.view) chart.view.finalize();
        chart.view = result.view;
        chart.element.dataset.rendered = "true";
      })
      .catch(function (error) {
        chart.element.dataset.rendered = "error";
        chart.element.textContent = "This chart could not be drawn: " + error.message;
      });
  }

  window.goldrushEmbed = function (id, spec) {
    const chart = { element: document.getElementById(id), spec: spec };
    charts.push(chart);
    draw(chart);
  };

  new MutationObserver(function () {
    charts.forEach(draw);
  }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
})();
