// figures.html: its charts from the page's #chart-data (a static file, so the CSP needs no 'unsafe-inline')
document.addEventListener("DOMContentLoaded", function () {
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  if (typeof echarts === "undefined") { return; }
  function draw(id, categories, series, type) {
    var element = document.getElementById(id);
    if (!element) { return; }
    var chart = echarts.init(element, null, {renderer: "canvas"});
    var names = Object.keys(series);
    chart.setOption({
      title: categories.length ? {show: false} : {text: "暂无数据", left: "center", top: "middle", textStyle: {color: "#627d98", fontSize: 14}},
      tooltip: {trigger: "axis"}, legend: {top: 0},
      grid: {left: 16, right: 16, top: 40, bottom: 16, containLabel: true},
      xAxis: {type: "category", data: categories, axisLabel: {interval: 0, rotate: categories.length > 6 ? 30 : 0}},
      yAxis: {type: "value", minInterval: 1},
      series: names.map(function (n) { return {name: n, type: type, data: series[n]}; })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  draw("chart-departments", data.departments, data.by_department, "bar");
  draw("chart-months", data.months.map(function (m) { return m.replace("-", "年") + "月"; }), data.by_month, "line");
});
