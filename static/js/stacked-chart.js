// Stacked bar charts. Each `.chart[data-stacked-source]` names a json_script block of
// {categories: [..], series: [{name, data: [..]}]}: one bar per category, one stacked
// segment per series. No inline script is needed (CSP-friendly), as in charts.js.
(function () {
  if (!window.echarts) { return; }
  var font = getComputedStyle(document.body).fontFamily;
  document.querySelectorAll(".chart[data-stacked-source]").forEach(function (box) {
    var source = document.getElementById(box.dataset.stackedSource);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    chart.setOption({
      textStyle: { fontFamily: font },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      legend: { type: "scroll", top: 0 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: data.categories },
      series: data.series.map(function (s) {
        return { type: "bar", stack: "total", name: s.name, data: s.data, emphasis: { focus: "series" } };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
