// Gold Rush charts. Each chart paints first as a static SVG made at build time; Vega (the
// self-hosted bundle in _static/vega) is loaded only on pages with charts, and only when the reader
// points at or focuses a chart, or, once the reader has scrolled or pressed a key, when a chart
// nears the viewport. Each chart is drawn once, and again only if the reader switches the theme.
(function () {
  "use strict";
  const script = document.currentScript;
  const BUNDLE = new URL("vega/vega-bundle.js", script ? script.src : document.baseURI).href;
  const ARMING_EVENTS = ["scroll", "wheel", "keydown", "pointerdown", "touchstart"];
  let vega = null;

  function loadVega() {
    if (!vega) {
      vega = new Promise(function (resolve, reject) {
        const tag = document.createElement("script");
        tag.src = BUNDLE;
        tag.async = true;
        tag.onload = function () { resolve(window.vegaEmbed); };
        tag.onerror = function () { reject(new Error("the chart library could not be loaded")); };
        document.head.appendChild(tag);
      });
    }
    return vega;
  }

  function theme() {
    return document.documentElement.dataset.theme === "dark" ? "dark" : "light";
  }

  function merge(base, extra) {
    const out = Object.assign({}, base);
    for (const [key, value] of Object.entries(extra)) {
      out[key] = value && typeof value === "object" && !Array.isArray(value) ? merge(base[key] || {}, value) : value;
    }
    return out;
  }

  function recolour(node, colours) {
    if (Array.isArray(node)) return node.map(function (v) { return recolour(v, colours); });
    if (node && typeof node === "object") {
      const out = {};
      for (const [key, value] of Object.entries(node)) out[key] = recolour(value, colours);
      return out;
    }
    return typeof node === "string" && colours[node.toLowerCase()] ? colours[node.toLowerCase()] : node;
  }

  // The same rules as goldrush.charts.themed and layout_overrides.
  function specFor(chart, name) {
    const payload = chart.payload;
    let spec = payload.spec;
    if (chart.element.clientWidth < payload.narrowBelow) spec = Object.assign({}, spec, payload.narrow);
    const rules = payload.themes[name];
    const colours = {};
    for (const [key, value] of Object.entries(rules.colors)) colours[key.toLowerCase()] = value;
    const out = {};
    for (const [key, value] of Object.entries(spec)) out[key] = key === "datasets" ? value : recolour(value, colours);
    out.config = merge(out.config || {}, rules.config);
    return out;
  }

  // The chart's spec: a JSON file beside the page (data-spec), or JSON in the page.
  function payloadOf(chart) {
    if (chart.payload) return Promise.resolve(chart.payload);
    const url = chart.element.dataset.spec;
    const loading = url
      ? fetch(url).then(function (response) {
          if (!response.ok) throw new Error("the chart's data could not be loaded");
          return response.json();
        })
      : Promise.resolve(JSON.parse(chart.element.parentElement.querySelector("script.goldrush-spec").textContent));
    return loading.then(function (payload) { chart.payload = payload; return payload; });
  }

  function draw(chart) {
    const name = theme();
    if (chart.drawnAs === name || chart.pending) return;
    chart.pending = true;
    if (!chart.element.dataset.rendered) chart.element.dataset.rendered = "drawing"; // lets Vega measure the container
    Promise.all([loadVega(), payloadOf(chart)])
      .then(function (loaded) {
        return loaded[0](chart.live, specFor(chart, name), { renderer: "svg", actions: false });
      })
      .then(function (result) {
        if (chart.view) chart.view.finalize();
        chart.view = result.view;
        chart.drawnAs = name;
        chart.draws += 1;
        chart.element.dataset.draws = String(chart.draws);
        chart.element.dataset.rendered = "true";
      })
      .catch(function (error) {
        chart.element.dataset.rendered = "error";
        chart.live.textContent = "This chart could not be drawn (" + error.message + "); the picture above shows it.";
      })
      .finally(function () {
        chart.pending = false;
        if (chart.drawnAs && chart.drawnAs !== theme()) draw(chart);
      });
  }

  function start() {
    const charts = [];
    document.querySelectorAll(".goldrush-chart").forEach(function (element) {
      if (!element.dataset.spec && !element.parentElement.querySelector("script.goldrush-spec")) return;
      const chart = { element: element, live: element.querySelector(".goldrush-live"), payload: null, draws: 0 };
      charts.push(chart);
      const now = function () { draw(chart); };
      element.addEventListener("pointerenter", now, { once: true });
      element.addEventListener("touchstart", now, { once: true, passive: true });
      element.addEventListener("focusin", now, { once: true });
    });
    if (!charts.length) return;
    const byElement = new Map(charts.map(function (c) { return [c.element, c]; }));
    function arm() {
      ARMING_EVENTS.forEach(function (type) { window.removeEventListener(type, arm, true); });
      const observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) {
            observer.unobserve(entry.target);
            draw(byElement.get(entry.target));
          }
        });
      }, { rootMargin: "200px 0px" });
      charts.forEach(function (c) { observer.observe(c.element); });
    }
    ARMING_EVENTS.forEach(function (type) { window.addEventListener(type, arm, { capture: true, passive: true }); });
    new MutationObserver(function () {
      charts.forEach(function (c) { if (c.drawnAs) draw(c); });
    }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
