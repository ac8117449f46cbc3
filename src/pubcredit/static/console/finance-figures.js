// finance/figures.html (信易贷统计): its charts from the page's #chart-data (a static file: the CSP needs no inline script)
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  function draw(id, categories, series, horizontal) {
    var element = document.getElementById(id);
    if (!element) { return; }
    element.style.height = horizontal ? Math.max(240, 36 * categories.length + 60) + "px" : "320px";
    var chart = echarts.init(element, null, {renderer: "canvas"});
    var names = Object.keys(series);
    var category = {type: "category", data: categories, inverse: !!horizontal,
                    axisLabel: horizontal ? {width: 140, overflow: "truncate"} : {interval: 0, rotate: categories.length > 6 ? 45 : 0}};
    var value = {type: "value", minInterval: horizontal ? 0 : 1};
    chart.setOption({
      title: categories.length ? {show: false} : {text: "暂无数据", left: "center", top: "middle", textStyle: {color: "#627d98", fontSize: 14}},
      tooltip: {trigger: "axis"}, legend: {top: 0},
      grid: {left: 24, right: 16, top: 40, bottom: 8, containLabel: true},
      xAxis: horizontal ? value : category, yAxis: horizontal ? category : value,
      series: names.map(function (n) { return {name: n, type: "bar", data: series[n]}; })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  draw("chart-months", data.months, {"申请": data.applications, "获批": data.approved, "放款": data.disbursed}, false);
  draw("chart-institutions", data.institutions, {"批准金额（万元）": data.approved_amount, "放款金额（万元）": data.disbursed_amount}, true);
  draw("chart-incentives", data.scenarios, {"核查": data.checks, "符合条件": data.eligible, "已给予激励": data.used}, true);
});
