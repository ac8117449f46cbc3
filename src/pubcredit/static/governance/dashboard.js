/* 部门考核 dashboard charts: department scores, and the city's figures against their targets. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var scores = echarts.init(document.getElementById("chart-scores"));
  scores.setOption({
    tooltip: {trigger: "axis"}, grid: {left: 8, right: 48, top: 10, bottom: 8, containLabel: true},
    xAxis: {type: "value", max: 100}, yAxis: {type: "category", inverse: true, data: data.departments},
    series: [{type: "bar", data: data.scores, label: {show: true, position: "right"}}]
  });
  var figures = echarts.init(document.getElementById("chart-figures"));
  figures.setOption({
    tooltip: {trigger: "axis"}, legend: {top: 0}, grid: {left: 8, right: 24, top: 30, bottom: 8, containLabel: true},
    xAxis: {type: "value", max: 100, name: "%"}, yAxis: {type: "category", inverse: true, data: data.figures},
    series: [{name: "实际", type: "bar", data: data.values}, {name: "目标", type: "scatter", symbol: "diamond", data: data.targets}]
  });
  window.addEventListener("resize", function () { scores.resize(); figures.resize(); });
});
