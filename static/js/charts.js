// Dashboard charts. Data comes from json_script blocks, so no inline script is needed.
(function () {
  var box = document.getElementById("staff-chart");
  var source = document.getElementById("staff-chart-data");
  if (!box || !source || !window.echarts) { return; }
  var rows = JSON.parse(source.textContent);
  var chart = window.echarts.init(box, null, { renderer: "svg" });
  chart.setOption({
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis" },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.name; }) },
    series: [{ type: "bar", name: box.dataset.seriesLabel, data: rows.map(function (r) { return r.staff; }), itemStyle: { color: "#0b5394" } }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
