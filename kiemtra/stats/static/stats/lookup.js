// Look-up page: the chart (bar or line) and the dot-map of the pivot, drawn with Apache ECharts.
// Data comes from json_script blocks; no inline script or style (the CSP forbids them).
// Tooltips are drawn on the canvas (renderMode "richText"): HTML tooltips carry inline styles.
(function () {
  "use strict";

  function readJson(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  const numberFormat = new Intl.NumberFormat(document.documentElement.lang || "vi", { maximumFractionDigits: 4 });
  const format = (value) => (value === null || value === undefined ? "—" : numberFormat.format(value));

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

  // Equal spans of longitude and latitude around the dots (near the equator a degree is about as long either
  // way), never smaller than mainland Vietnam, so the square box keeps the country's shape.
  function extent(points) {
    const lons = points.map((p) => p.value[0]);
    const lats = points.map((p) => p.value[1]);
    const box = {
      x0: Math.min(102, ...lons), x1: Math.max(110, ...lons),
      y0: Math.min(8, ...lats), y1: Math.max(23.5, ...lats),
    };
    const span = Math.max(box.x1 - box.x0, box.y1 - box.y0) + 1;
    const cx = (box.x0 + box.x1) / 2;
    const cy = (box.y0 + box.y1) / 2;
    return { x0: cx - span / 2, x1: cx + span / 2, y0: cy - span / 2, y1: cy + span / 2 };
  }

  function mapOption(data) {
    const values = data.points.map((p) => p.value[2]);
    const box = extent(data.points);
    const axis = (name, min, max) => ({
      type: "value", name: name, nameLocation: "middle", nameGap: 28,
      min: Math.floor(min), max: Math.ceil(max),
      splitLine: { lineStyle: { type: "dashed" } }, axisLabel: { formatter: (v) => v + "°" },
    });
    return {
      animation: false,
      tooltip: {
        trigger: "item",
        renderMode: "richText",
        formatter: (p) =>
          p.name + ": " + format(p.value[2]) + (p.data.provisional ? " (" + data.labels.provisional + ")" : ""),
      },
      grid: { left: 40, right: 16, top: 16, bottom: 100 },
      xAxis: axis(data.labels.lon, box.x0, box.x1),
      yAxis: axis(data.labels.lat, box.y0, box.y1),
      // Scroll to zoom, drag to move: communes of one city sit close together.
      dataZoom: [
        { type: "inside", xAxisIndex: 0, filterMode: "none" },
        { type: "inside", yAxisIndex: 0, filterMode: "none" },
      ],
      visualMap: {
        type: "continuous", dimension: 2, min: Math.min(...values), max: Math.max(...values, Math.min(...values) + 1),
        calculable: true, orient: "horizontal", left: "center", bottom: 0, itemHeight: 120,
        inRange: { color: ["#fde2e1", "#f08c84", "#a50e0e"] }, formatter: format,
      },
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
