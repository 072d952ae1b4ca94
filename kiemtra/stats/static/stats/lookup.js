// Look-up page: the chart (bar or line) and the dot-map of the pivot, drawn with Apache ECharts.
// Data comes from json_script blocks; no inline script or style (the CSP forbids them).
// Tooltips are drawn on the canvas (renderMode "richText"): HTML tooltips carry inline styles.
(function () {
  "use strict";

  const shared = window.kiemtraCharts;
  const readJson = shared.readJson;
  const format = shared.formatter({ maximumFractionDigits: 4 });

  function chartOption(data, kind) {
    const rotate = data.categories.length > 6 ? 30 : 0;
    return {
      animation: false,
      tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: format },
      legend: { type: "scroll", top: 0 },
      grid: { left: 16, right: 16, top: 40, bottom: 16, containLabel: true },
      xAxis: { type: "category", data: data.categories, axisLabel: { rotate: rotate, hideOverlap: true } },
      yAxis: { type: "value", axisLabel: { formatter: format } },
      series: data.series.map((s) => ({ name: s.name, type: kind, data: s.data, connectNulls: false })),
    };
  }

  // Never smaller than mainland Vietnam, so the square box keeps the country's shape.
  const VIETNAM = { x0: 102, x1: 110, y0: 8, y1: 23.5 };

  function mapOption(data) {
    const values = data.points.map((p) => p.value[2]);
    const box = shared.squareExtent(data.points, 0, VIETNAM);
    const round = (v, end) => (end === "min" ? Math.floor(v) : Math.ceil(v));
    const scale = { min: Math.min(...values), max: Math.max(...values, Math.min(...values) + 1) };
    return {
      ...shared.dotMapFrame(data.labels, box, round, scale, format),
      tooltip: {
        trigger: "item",
        renderMode: "richText",
        formatter: (p) =>
          p.name + ": " + format(p.value[2]) + (p.data.provisional ? " (" + data.labels.provisional + ")" : ""),
      },
      grid: { left: 40, right: 16, top: 16, bottom: 100 },
      series: [{
        type: "scatter",
        symbolSize: data.points.length > 200 ? 6 : 12,
        data: data.points.map((p) => ({
          name: p.name,
          value: p.value,
          provisional: p.provisional,
          itemStyle: p.provisional ? { borderColor: "#333", borderWidth: 1.5, borderType: "dashed" } : undefined,
        })),
      }],
    };
  }

  function start() {
    if (!window.echarts) return;
    const charts = [];
    const chartData = readJson("lookup-chart-data");
    const chartNode = document.getElementById("lookup-chart");
    if (chartData && chartNode && chartData.series.length) {
      const chart = window.echarts.init(chartNode);
      let kind = chartData.kind;
      chart.setOption(chartOption(chartData, kind));
      charts.push(chart);
      const buttons = document.querySelectorAll("[data-chart-kind]");
      const mark = () => buttons.forEach((b) => b.classList.toggle("active", b.dataset.chartKind === kind));
      mark();
      buttons.forEach((button) =>
        button.addEventListener("click", () => {
          kind = button.dataset.chartKind;
          chart.setOption(chartOption(chartData, kind), { notMerge: true });
          mark();
        }),
      );
    }
    const mapData = readJson("lookup-map-data");
    const mapNode = document.getElementById("lookup-map");
    if (mapData && mapNode && mapData.points.length) {
      const map = window.echarts.init(mapNode);
      map.setOption(mapOption(mapData));
      charts.push(map);
    }
    window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
