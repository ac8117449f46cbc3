// evaluation/run_detail.html: the run's charts (综合评价图表) from the page's #chart-data; a static file, so the CSP
// needs no 'unsafe-inline'. Each chart element's height comes from its data-chart-height (no inline style).
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var classColours = ["#2f9e44", "#f08c00", "#e8590c", "#c92a2a"];  // 诚信守法 · 轻微失信 · 一般失信 · 严重失信
  function chart(id) {
    var element = document.getElementById(id);
    if (!element) { return null; }
    element.style.width = "100%";
    element.style.height = (element.getAttribute("data-chart-height") || "300") + "px";
    var made = echarts.init(element, null, {renderer: "canvas"});
    window.addEventListener("resize", function () { made.resize(); });
    return made;
  }
  function empty(categories) {
    return categories.length ? {show: false} :
      {text: "暂无数据", left: "center", top: "middle", textStyle: {color: "#627d98", fontSize: 14}};
  }
  function stacked(id, categories, byClass) {
    var made = chart(id);
    if (!made) { return; }
    made.setOption({
      title: empty(categories), tooltip: {trigger: "axis"}, legend: {top: 0}, color: classColours,
      grid: {left: 16, right: 16, top: 40, bottom: 16, containLabel: true},
      xAxis: {type: "category", data: categories, axisLabel: {interval: 0, rotate: categories.length > 5 ? 30 : 0}},
      yAxis: {type: "value", minInterval: 1},
      series: data.classes.map(function (name) { return {name: name, type: "bar", stack: "classes", data: byClass[name]}; })
    });
  }
  var grades = chart("chart-grades");
  if (grades) {
    grades.setOption({
      title: empty(data.grades), tooltip: {trigger: "axis"},
      grid: {left: 16, right: 16, top: 16, bottom: 16, containLabel: true},
      xAxis: {type: "category", data: data.grades}, yAxis: {type: "value", minInterval: 1},
      series: [{name: "主体数", type: "bar", data: data.grade_counts, itemStyle: {color: "#1c7ed6"}}]
    });
  }
  stacked("chart-districts", data.districts, data.by_district);
  stacked("chart-kinds", data.kinds, data.by_kind);
  stacked("chart-industries", data.industries || [], data.by_industry || {});
  var items = chart("chart-items");
  if (items) {
    items.setOption({
      title: empty(data.items), tooltip: {trigger: "axis"},
      grid: {left: 16, right: 24, top: 16, bottom: 16, containLabel: true},
      xAxis: {type: "value", minInterval: 1}, yAxis: {type: "category", data: data.items.slice().reverse()},
      series: [{name: "影响主体数", type: "bar", data: data.item_subjects.slice().reverse(), itemStyle: {color: "#7048e8"}}]
    });
  }
});
