// What the ECharts pages share (statistics look-up, discipline analytics): reading json_script data, numbers
// in the page's language, and the frame of a dot-map of provinces or communes — longitude and latitude as
// axes in a square box, zoom by scroll, a red scale. No inline script or style (the CSP forbids them).
(function () {
  "use strict";

  function readJson(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function formatter(options) {
    const numberFormat = new Intl.NumberFormat(document.documentElement.lang || "vi", options);
    return (value) => (value === null || value === undefined ? "—" : numberFormat.format(value));
  }

  // Equal spans of longitude and latitude around the dots (near the equator a degree is about as long either
  // way), at least `least` degrees and at least `frame` (a box to keep in view), so the land keeps its shape.
  function squareExtent(points, least, frame, margin) {
    const lons = points.map((p) => p.value[0]);
    const lats = points.map((p) => p.value[1]);
    const f = frame || { x0: Infinity, x1: -Infinity, y0: Infinity, y1: -Infinity };
    const box = {
      x0: Math.min(f.x0, ...lons), x1: Math.max(f.x1, ...lons),
      y0: Math.min(f.y0, ...lats), y1: Math.max(f.y1, ...lats),
    };
    const span = Math.max(box.x1 - box.x0, box.y1 - box.y0, least) * (margin || 1) + (frame ? 1 : 0);
    const cx = (box.x0 + box.x1) / 2;
    const cy = (box.y0 + box.y1) / 2;
    return { x0: cx - span / 2, x1: cx + span / 2, y0: cy - span / 2, y1: cy + span / 2 };
  }

  // The option of a dot-map without its tooltip and series: axes of degrees, zoom, a continuous red scale.
  function dotMapFrame(labels, box, round, scale, format) {
    const axis = (name, min, max) => ({
      type: "value", name: name, nameLocation: "middle", nameGap: 28,
      min: round(min, "min"), max: round(max, "max"),
      splitLine: { lineStyle: { type: "dashed" } }, axisLabel: { formatter: (v) => v + "°" },
    });
    return {
      animation: false,
      xAxis: axis(labels.lon, box.x0, box.x1),
      yAxis: axis(labels.lat, box.y0, box.y1),
      // Scroll to zoom, drag to move: communes of one city sit close together.
      dataZoom: [
        { type: "inside", xAxisIndex: 0, filterMode: "none" },
        { type: "inside", yAxisIndex: 0, filterMode: "none" },
      ],
      visualMap: {
        type: "continuous", dimension: 2, min: scale.min, max: scale.max,
        calculable: true, orient: "horizontal", left: "center", bottom: 0, itemHeight: 120,
        inRange: { color: ["#fde2e1", "#f08c84", "#a50e0e"] }, formatter: format,
      },
    };
  }

  window.kiemtraCharts = { readJson: readJson, formatter: formatter, squareExtent: squareExtent, dotMapFrame: dotMapFrame };
})();
