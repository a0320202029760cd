// Bar charts of the ratio pages and the dashboard's ratio card. Each
// `.chart[data-ratio-chart]` names a json_script block of
// {categories: [..], series: [{name, data: [..]}], stacked: bool, percent: bool}:
// grouped bars (shares in percent) or stacked ones (counts). No inline script is
// needed (CSP-friendly). The ratio pages swap their results through htmx, chart
// included, so the charts in a swapped block are drawn again after the swap.
(function () {
  if (!window.echarts) { return; }
  var font = getComputedStyle(document.body).fontFamily;
  var charts = [];
  // Eleven recommendation states need more distinct colours than ECharts' nine.
  var palette = ["#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452",
    "#9a60b4", "#ea7ccc", "#8d6e63", "#546e7a", "#c0ca33"];

  function series(data) {
    return data.series.map(function (s) {
      var bar = { type: "bar", name: s.name, data: s.data, emphasis: { focus: "series" } };
      if (data.stacked) { bar.stack = "total"; }
      // A share of 0% draws no bar; the label says it was counted.
      if (data.percent) { bar.label = { show: true, position: "right", formatter: "{c}%", fontSize: 11 }; }
      return bar;
    });
  }

  function draw(root) {
    root.querySelectorAll(".chart[data-ratio-chart]").forEach(function (box) {
      var source = document.getElementById(box.dataset.ratioChart);
      if (!source) { return; }
      var data = JSON.parse(source.textContent);
      // A city has dozens of units: give every bar group room instead of squeezing them.
      var perUnit = data.stacked ? 28 : 14 * data.series.length + 10;
      box.style.height = Math.max(240, 60 + perUnit * data.categories.length) + "px";
      var old = window.echarts.getInstanceByDom(box);
      if (old) { old.dispose(); }
      var chart = window.echarts.init(box, null, { renderer: "svg" });
      chart.setOption({
        color: palette,
        textStyle: { fontFamily: font },
        grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
        legend: { type: "scroll", top: 0 },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: data.percent ? function (v) { return v + "%"; } : undefined },
        xAxis: data.percent
          ? { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }
          : { type: "value", minInterval: 1 },
        yAxis: { type: "category", inverse: true, data: data.categories },
        series: series(data)
      });
      charts.push(chart);
    });
  }

  draw(document);
  document.body.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
  window.addEventListener("resize", function () {
    charts = charts.filter(function (chart) { return !chart.isDisposed(); });
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
