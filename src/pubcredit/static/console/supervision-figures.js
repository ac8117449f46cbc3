// supervision/task_list.html: the chart of drawn objects by class, from the page's #chart-data (a static file,
// so the enforced CSP needs no 'unsafe-inline')
document.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("chart-classes");
  if (typeof echarts === "undefined" || !element) { return; }
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var chart = echarts.init(element, null, {renderer: "canvas"});
  chart.setOption({tooltip: {trigger: "axis"}, legend: {top: 0}, grid: {left: 16, right: 16, top: 40, bottom: 16, containLabel: true},
    xAxis: {type: "category", data: data.classes}, yAxis: {type: "value", minInterval: 1},
    series: Object.keys(data.series).map(function (n) { return {name: n, type: "bar", data: data.series[n]}; })});
  window.addEventListener("resize", function () { chart.resize(); });
});
