// department_figures.html: its charts from the page's #chart-data (a static file, so the CSP needs no 'unsafe-inline')
document.addEventListener("DOMContentLoaded", function () {
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var element = document.getElementById("chart-by-month");
  if (typeof echarts === "undefined") { element.textContent = "图表组件未能加载，请查看下方按月明细。"; return; }
  var chart = echarts.init(element, null, {renderer: "canvas"});
  chart.setOption({
    title: data.series.length ? {show: false} : {text: "暂无数据", left: "center", top: "middle",
                                                   textStyle: {color: "#627d98", fontSize: 14}},
    tooltip: {trigger: "axis"},
    legend: {top: 0},
    grid: {left: 16, right: 16, top: 40, bottom: 16, containLabel: true},
    xAxis: {type: "category", data: data.months.map(function (m) { return m.replace("-", "年") + "月"; })},
    yAxis: {type: "value", name: "条", minInterval: 1},
    series: data.series.map(function (s) { return {name: s.name, type: "bar", stack: "total", data: s.data}; })
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
