// repair/figures.html: monthly charts from the page's #chart-data (a static file, so the CSP needs no 'unsafe-inline')
document.addEventListener("DOMContentLoaded", function () {
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  if (typeof echarts === "undefined") { return; }
  var months = data.months.map(function (m) { return m.replace("-", "年") + "月"; });
  function draw(id, series, type, unit) {
    var element = document.getElementById(id);
    if (!element) { return; }
    var chart = echarts.init(element, null, {renderer: "canvas"});
    chart.setOption({
      tooltip: {trigger: "axis"}, legend: {top: 0},
      grid: {left: 16, right: 16, top: 48, bottom: 16, containLabel: true},
      xAxis: {type: "category", data: months, axisLabel: {rotate: 30}},
      yAxis: {type: "value", minInterval: 1, name: unit},
      series: Object.keys(series).map(function (n) { return {name: n, type: type, data: series[n], connectNulls: true}; })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  draw("chart-counts", data.counts, "bar", "件");
  draw("chart-days", data.days, "line", "工作日");
  draw("chart-on-time", data.on_time, "line", "%");
});
