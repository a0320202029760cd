// Dashboard bar charts. Each `.chart[data-source]` names a json_script block of
// [{name, value}] rows, so no inline script is needed (CSP-friendly).
(function () {
  if (!window.echarts) { return; }
  var font = getComputedStyle(document.body).fontFamily;
  document.querySelectorAll(".chart[data-source]").forEach(function (box) {
    var source = document.getElementById(box.dataset.source);
    if (!source) { return; }
    var rows = JSON.parse(source.textContent);
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    chart.setOption({
      textStyle: { fontFamily: font },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.name; }) },
      series: [{ type: "bar", name: box.dataset.seriesLabel, data: rows.map(function (r) { return r.value; }), itemStyle: { color: "#0b5394" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
