// Discipline analytics: the trend (line or bars), bars by penalty, category and position level, and the dot-maps
// of provinces and of one province's units, drawn with Apache ECharts from the json_script block "analytics-data".
// No inline script or style (the CSP forbids them); tooltips are drawn on the canvas (renderMode "richText").
// A click on a bar or a dot opens the search page with the matching filters (the same links as the tables).
(function () {
  "use strict";

  const shared = window.kiemtraCharts;
  const readJson = shared.readJson;
  const format = shared.formatter();

  function follow(url) {
    if (url) window.location.assign(url);
  }

  function trendOption(data, kind) {
    const rotate = data.categories.length > 10 ? 30 : 0;
    return {
      animation: false,
      tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: format },
      legend: { type: "scroll", top: 0 },
      grid: { left: 16, right: 16, top: 40, bottom: 16, containLabel: true },
      xAxis: { type: "category", data: data.categories, axisLabel: { rotate: rotate, hideOverlap: true } },
      yAxis: { type: "value", minInterval: 1, axisLabel: { formatter: format } },
      series: data.series.map((s) => ({ name: s.name, type: kind, data: s.data })),
    };
  }

  function barOption(data, horizontal) {
    const category = {
      type: "category",
      data: data.categories,
      inverse: horizontal,
      axisLabel: horizontal ? { width: 180, overflow: "truncate" } : { rotate: 20, hideOverlap: true, width: 90, overflow: "truncate" },
    };
    const value = { type: "value", minInterval: 1, axisLabel: { formatter: format } };
    return {
      animation: false,
      tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: format },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: [{ type: "bar", data: data.data, itemStyle: { color: "#a50e0e" }, cursor: "pointer" }],
    };
  }

  function mapOption(data, least) {
    const values = data.points.map((p) => p.value[2]);
    const box = shared.squareExtent(data.points, least, null, 1.1);
    const digits = least >= 5 ? 0 : 2;
    const round = (v) => Number(v.toFixed(digits));
    // From zero: counts, and a lone dot must not take the palest colour.
    const scale = { min: 0, max: Math.max(1, ...values) };
    return {
      ...shared.dotMapFrame(data.labels, box, round, scale, format),
      tooltip: {
        trigger: "item",
        renderMode: "richText",
        formatter: (p) => p.name + ": " + format(p.value[2]) + " " + data.labels.count,
      },
      grid: { left: 48, right: 16, top: 16, bottom: 100 },
      series: [{
        type: "scatter",
        cursor: "pointer",
        symbolSize: (value) => 8 + Math.min(16, Math.sqrt(value[2]) * 2),
        data: data.points.map((p) => ({ name: p.name, value: p.value, url: p.url })),
      }],
    };
  }

  function start() {
    if (!window.echarts) return;
    const data = readJson("analytics-data");
    if (!data) return;
    const charts = [];
    const draw = (id, option, onClick) => {
      const node = document.getElementById(id);
      if (!node) return null;
      const chart = window.echarts.init(node);
      chart.setOption(option);
      if (onClick) chart.on("click", onClick);
      charts.push(chart);
      return chart;
    };

    if (data.trend.series.length) {
      let kind = data.trend.categories.length > 1 ? "line" : "bar";
      const chart = draw("chart-trend", trendOption(data.trend, kind), (p) =>
        follow((data.trend.urls[p.seriesIndex] || [])[p.dataIndex]),
      );
      const buttons = document.querySelectorAll("[data-chart-kind]");
      const mark = () => buttons.forEach((b) => b.classList.toggle("active", b.dataset.chartKind === kind));
      mark();
      buttons.forEach((button) =>
        button.addEventListener("click", () => {
          kind = button.dataset.chartKind;
          if (chart) chart.setOption(trendOption(data.trend, kind), { notMerge: true });
          mark();
        }),
      );
    }
    for (const [name, horizontal] of [["penalty", false], ["category", true], ["position_level", false]]) {
      const bars = data[name];
      if (bars && bars.data.length) draw("chart-" + name, barOption(bars, horizontal), (p) => follow(bars.urls[p.dataIndex]));
    }
    if (data.provinces.points.length) {
      draw("map-provinces", mapOption(data.provinces, 9), (p) => follow(p.data && p.data.url));
    }
    if (data.units.points.length) {
      draw("map-units", mapOption(data.units, 0.2), (p) => follow(p.data && p.data.url));
    }
    window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
