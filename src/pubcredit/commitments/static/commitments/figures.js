// commitments/figures.html: its charts from the page's #chart-data (a static file, so the CSP needs no 'unsafe-inline')
document.addEventListener("DOMContentLoaded", function () {
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var empty = {text: "暂无数据", left: "center", top: "middle", textStyle: {color: "#627d98", fontSize: 14}};
  var charts = [];
  function start(id) {
    var element = document.getElementById(id);
    if (!element) { return null; }
    if (typeof echarts === "undefined") { element.textContent = "图表组件未能加载，请查看下方明细。"; return null; }
    var chart = echarts.init(element, null, {renderer: "canvas"});
    charts.push(chart);
    return chart;
  }
  function bars(id, categories, series, type) {
    var chart = start(id);
    if (!chart) { return; }
    var names = Object.keys(series);
    chart.setOption({
      title: categories.length ? {show: false} : empty,
      tooltip: {trigger: "axis"}, legend: {top: 0},
      grid: {left: 16, right: 16, top: 40, bottom: 16, containLabel: true},
      xAxis: {type: "category", data: categories, axisLabel: {interval: 0, rotate: categories.length > 4 ? 30 : 0}},
      yAxis: {type: "value", minInterval: 1},
      series: names.map(function (n) { return {name: n, type: type, data: series[n]}; })
    });
  }
  var pie = start("chart-types");
  if (pie) {
    var shown = data.by_type.filter(function (t) { return t.value > 0; });
    pie.setOption({
      title: shown.length ? {show: false} : empty,
      tooltip: {trigger: "item", formatter: "{b}：{c}（{d}%）"}, legend: {bottom: 0},
      series: [{type: "pie", radius: ["35%", "65%"], data: shown, label: {formatter: "{b}\n{c}"}}]
    });
  }
  bars("chart-matters", data.matters, data.by_matter, "bar");
  bars("chart-departments", data.departments, data.by_department, "bar");
  bars("chart-months", data.months.map(function (m) { return m.replace("-", "年") + "月"; }), data.by_month, "line");
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
});
