/* 大屏: reads the screen's JSON (counts only) and draws the ECharts panels; refreshes every data-refresh seconds. */
(function () {
  "use strict";
  var root = document.getElementById("screen");
  // a 1920×1080 wall display: on a narrower window (a laptop, a phone) the whole screen is zoomed to the width
  function fit() { root.style.zoom = Math.min(1, window.innerWidth / 1920); }
  fit();
  window.addEventListener("resize", fit);
  var charts = {};
  var text = {color: "#dbe7ff"};
  var axis = {axisLabel: {color: "#b7c8ea", fontSize: 14}, axisLine: {lineStyle: {color: "#35518c"}},
              splitLine: {lineStyle: {color: "#1f3b73"}}};
  var EMPTY = {text: "暂无数据", left: "center", top: "middle", textStyle: {color: "#8aa4d6", fontSize: 18}};

  function chart(id) {
    if (!charts[id]) { charts[id] = echarts.init(document.getElementById(id), null, {renderer: "canvas"}); }
    return charts[id];
  }
  function pct(v) { return v === null || v === undefined ? "—" : (v * 100).toFixed(1) + "%"; }
  function bar(id, names, values, extra) {
    chart(id).setOption(Object.assign({
      title: names.length ? {show: false} : EMPTY, textStyle: text, tooltip: {trigger: "axis"},
      grid: {left: 10, right: 20, top: 20, bottom: 10, containLabel: true},
      xAxis: Object.assign({type: "value"}, axis), yAxis: Object.assign({type: "category", data: names, inverse: true}, axis),
      series: [{type: "bar", data: values, itemStyle: {color: "#3ba0ff"}, label: {show: true, position: "right", color: "#fff"}}]
    }, extra || {}), true);
  }
  function pie(id, items) {
    chart(id).setOption({
      title: items.length ? {show: false} : EMPTY, tooltip: {trigger: "item"},
      legend: {bottom: 0, textStyle: text},
      series: [{type: "pie", radius: ["35%", "65%"], data: items, label: {color: "#dbe7ff", fontSize: 15}}]
    }, true);
  }
  function draw(d) {
    document.getElementById("as-of").textContent = d.as_of;
    var total = d.records_by_department.reduce(function (s, r) { return s + r.month; }, 0);
    document.getElementById("n-records").textContent = total;
    document.getElementById("n-sharing").textContent = pct(d.sharing.share);
    document.getElementById("n-checks").textContent = d.checks.checks + " / " + d.checks.hits;
    document.getElementById("n-lists").textContent = d.lists_in_force.reduce(function (s, r) { return s + r.count; }, 0);
    document.getElementById("n-repairs").textContent = d.repairs_open + " / " + d.objections_open;
    bar("c-records", d.records_by_department.map(function (r) { return r.department; }),
        d.records_by_department.map(function (r) { return r.month; }));
    var share = d.sharing.share === null ? 0 : Math.round(d.sharing.share * 1000) / 10;
    chart("c-sharing").setOption({
      series: [{type: "gauge", min: 0, max: 100, progress: {show: true, width: 18},
                axisLine: {lineStyle: {width: 18, color: [[d.sharing.goal, "#e5534b"], [1, "#2ea043"]]}},
                axisLabel: {color: "#b7c8ea"}, pointer: {show: true},
                detail: {formatter: d.sharing.share === null ? "无数据" : "{value}%", color: "#fff", fontSize: 34, offsetCenter: [0, "40%"]},
                title: {color: "#b7c8ea", offsetCenter: [0, "78%"], fontSize: 16},
                data: [{value: share, name: "实时共享部门 " + d.sharing.sharing + " / " + (d.sharing.sharing + d.sharing.not_sharing)}]}]
    }, true);
    var figures = d.figures.filter(function (f) { return f.value !== null; });
    chart("c-figures").setOption({
      title: figures.length ? {show: false} : EMPTY, tooltip: {trigger: "axis"}, legend: {top: 0, textStyle: text},
      grid: {left: 10, right: 20, top: 30, bottom: 10, containLabel: true},
      xAxis: Object.assign({type: "value", max: 100}, axis),
      yAxis: Object.assign({type: "category", inverse: true, data: figures.map(function (f) { return f.name; })}, axis),
      series: [{name: "实际(%)", type: "bar", data: figures.map(function (f) {
                  return {value: Math.round(f.value * 1000) / 10, itemStyle: {color: f.status === "red" ? "#e5534b" : "#2ea043"}}; })},
               {name: "目标(%)", type: "scatter", symbol: "diamond", symbolSize: 14, itemStyle: {color: "#f2cc60"},
                data: figures.map(function (f) { return Math.round(f.target * 1000) / 10; })}]
    }, true);
    bar("c-scores", d.scores.map(function (s) { return s.department; }), d.scores.map(function (s) { return s.score; }),
        {xAxis: Object.assign({type: "value", max: 100}, axis)});
    drawMap(d.districts || []);
    pie("c-lists", d.lists_in_force.map(function (r) { return {name: r.kind === "red" ? "红名单" : "黑名单", value: r.count}; }));
    pie("c-classes", d.evaluation_classes.map(function (r) { return {name: r["class"], value: r.count}; }));
  }
  // 淄博 district boundaries (GeoJSON shipped in static, MIT: zibo-districts.geojson.LICENSE.md), registered once
  var mapReady = null;
  function zibo() {
    if (!mapReady) {
      mapReady = fetch(root.dataset.map, {credentials: "same-origin"}).then(function (r) { return r.json(); })
        .then(function (geo) { echarts.registerMap("zibo", geo); return true; });
    }
    return mapReady;
  }
  function drawMap(districts) {
    zibo().then(function () {
      var scored = districts.filter(function (x) { return x.score !== null; });
      chart("c-map").setOption({
        tooltip: {trigger: "item", formatter: function (p) {
          var x = districts.filter(function (r) { return r.name === p.name; })[0];
          if (!x) { return p.name; }
          return p.name + "<br>考核得分：" + (x.score === null ? "无数据" : x.score) + "<br>本月归集：" + x.records + "条";
        }},
        visualMap: {min: 0, max: 100, left: 0, bottom: 0, itemHeight: 90, text: ["100分", "0分"],
                    textStyle: {color: "#b7c8ea"}, calculable: false,
                    inRange: {color: ["#e5534b", "#f2cc60", "#2ea043"]}, show: scored.length > 0},
        series: [{type: "map", map: "zibo", roam: false, layoutCenter: ["55%", "50%"], layoutSize: "95%",
                  label: {show: true, color: "#ffffff", fontSize: 13},
                  itemStyle: {areaColor: "#1b3566", borderColor: "#7fd3ff", borderWidth: 1},
                  emphasis: {label: {color: "#ffffff"}, itemStyle: {areaColor: "#3ba0ff"}},
                  data: districts.map(function (x) { return {name: x.name, value: x.score === null ? NaN : x.score}; })}]
      }, true);
      root.dataset.mapDrawn = "yes";
    }).catch(function () { chart("c-map").setOption({title: EMPTY}, true); });
  }
  function load() {
    fetch(root.dataset.source, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(draw)
      .catch(function () { document.getElementById("as-of").textContent = "数据暂不可用"; });
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof echarts === "undefined") { return; }
    load();
    setInterval(load, Math.max(10, parseInt(root.dataset.refresh, 10) || 60) * 1000);
  });
})();
