// Discipline analytics: the trend (line or bars), bars by penalty, category and position level, and the dot-maps
// of provinces and of one province's units, drawn with Apache ECharts from the json_script block "analytics-data".
// No inline script or style (the CSP forbids them); tooltips are drawn on the canvas (renderMode "richText").
// A click on a bar or a dot opens the search page with the matching filters (the same links as the tables).
(function () {
  "use strict";

  function readJson(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  const numberFormat = new Intl.NumberFormat(document.documentElement.lang || "vi");
  const format = (value) => (value === null || value === undefined ? "—" : numberFormat.format(value));

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

  // Equal spans of longitude and latitude around the dots (as on the statistics look-up's map), never smaller
  // than `least` degrees, so the square box keeps the shape of the land.
  function extent(points, least) {
    const lons = points.map((p) => p.value[0]);
    const lats = points.map((p) => p.value[1]);
    const box = { x0: Math.min(...lons), x1: Math.max(...lons), y0: Math.min(...lats), y1: Math.max(...lats) };
    const span = Math.max(box.x1 - box.x0, box.y1 - box.y0, least) * 1.1;
    const cx = (box.x0 + box.x1) / 2;
    const cy = (box.y0 + box.y1) / 2;
    return { x0: cx - span / 2, x1: cx + span / 2, y0: cy - span / 2, y1: cy + span / 2 };
  }

  function mapOption(data, least) {
    const values = data.points.map((p) => p.value[2]);
    const box = extent(data.points, least);
    const digits = least >= 5 ? 0 : 2;
    const axis = (name, min, max) => ({
      type: "value", name: name, nameLocation: "middle", nameGap: 28,
      min: Number(min.toFixed(digits)), max: Number(max.toFixed(digits)),
      splitLine: { lineStyle: { type: "dashed" } }, axisLabel: { formatter: (v) => v + "°" },
    });
    return {
      animation: false,
      tooltip: {
        trigger: "item",
        renderMode: "richText",
        formatter: (p) => p.name + ": " + format(p.value[2]) + " " + data.labels.count,
      },
      grid: { left: 48, right: 16, top: 16, bottom: 100 },
      xAxis: axis(data.labels.lon, box.x0, box.x1),
      yAxis: axis(data.labels.lat, box.y0, box.y1),
      dataZoom: [
        { type: "inside", xAxisIndex: 0, filterMode: "none" },
        { type: "inside", yAxisIndex: 0, filterMode: "none" },
      ],
      visualMap: {
        // From zero: counts, and a lone dot must not take the palest colour.
        type: "continuous", dimension: 2, min: 0, max: Math.max(1, ...values),
        calculable: true, orient: "horizontal", left: "center", bottom: 0, itemHeight: 120,
        inRange: { color: ["#fde2e1", "#f08c84", "#a50e0e"] }, formatter: format,
      },
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
