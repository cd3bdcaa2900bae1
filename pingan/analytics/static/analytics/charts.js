/* The dashboard's and the statistics page's charts (ECharts), drawn from the JSON of #dashboard-data (the same
   figures as /api/v1/analytics/dashboard/). A click on a bar or a point opens the list behind it. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var byKey = {};
  data.measures.forEach(function (m) { byKey[m.key] = m; });
  var charts = [];

  function go(url) { if (url) { window.location.href = url; } }

  function bar(names, values, urls, color, horizontal) {
    var axis = { type: "category", data: names, axisLabel: { interval: 0, rotate: horizontal ? 0 : (names.length > 6 ? 35 : 0) } };
    var value = { type: "value", minInterval: 1 };
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: horizontal ? 110 : 44, right: 24, top: 16, bottom: horizontal ? 24 : 64, containLabel: false },
      xAxis: horizontal ? value : axis,
      yAxis: horizontal ? Object.assign({}, axis, { inverse: true }) : value,
      series: [{ type: "bar", data: values.map(function (v, i) { return { value: v, url: urls[i] }; }),
                 itemStyle: { color: color }, cursor: "pointer", label: { show: true, position: horizontal ? "right" : "top" } }]
    };
  }

  function options(kind, m) {
    if (kind === "trend") {
      return {
        tooltip: { trigger: "axis" },
        legend: { data: ["本年", "上年同月"], top: 0 },
        grid: { left: 44, right: 20, top: 32, bottom: 40 },
        xAxis: { type: "category", data: m.months.map(function (p) { return p.month; }) },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          { name: "本年", type: "line", smooth: false, symbolSize: 9, cursor: "pointer", itemStyle: { color: "#1d4ed8" },
            data: m.months.map(function (p) { return { value: p.value, url: p.url }; }) },
          { name: "上年同月", type: "line", symbolSize: 7, cursor: "pointer", lineStyle: { type: "dashed" }, itemStyle: { color: "#9ca3af" },
            data: m.months.map(function (p) { return { value: p.previous, url: p.previous_url }; }) }
        ]
      };
    }
    if (kind === "place") {
      return bar(m.by_place.map(function (p) { return p.name; }), m.by_place.map(function (p) { return p.value; }),
                 m.by_place.map(function (p) { return p.url; }), "#1d4ed8", m.by_place.length > 8);
    }
    return bar(m.by_category.map(function (p) { return p.label; }), m.by_category.map(function (p) { return p.value; }),
               m.by_category.map(function (p) { return p.url; }), "#b45309", true);
  }

  function draw(scope) {
    scope.querySelectorAll(".chart").forEach(function (el) {
      if (el.dataset.drawn) { return; }
      var m = byKey[el.dataset.measure];
      if (!m) { return; }
      var kind = el.dataset.chart;
      if (kind === "category" && m.by_category.length > 8) { el.style.height = (m.by_category.length * 30 + 60) + "px"; }
      if (kind === "place" && m.by_place.length > 8) { el.style.height = (m.by_place.length * 26 + 60) + "px"; }
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(options(kind, m));
      chart.on("click", function (params) { go(params.data && params.data.url); });
      el.dataset.drawn = "1";
      charts.push(chart);
    });
  }

  document.querySelectorAll(".dash-tab").forEach(function (tab) {
    tab.addEventListener("click", function () {
      var key = tab.dataset.measure;
      document.querySelectorAll(".dash-tab").forEach(function (t) {
        t.classList.toggle("active", t === tab);
        t.setAttribute("aria-selected", t === tab ? "true" : "false");
      });
      document.querySelectorAll(".dash-measure").forEach(function (panel) {
        var shown = panel.dataset.measure === key;
        panel.classList.toggle("hidden", !shown);
        if (shown) { draw(panel); }
      });
      charts.forEach(function (c) { c.resize(); });
    });
  });

  var first = document.querySelector(".dash-measure:not(.hidden)");
  if (first) { draw(first); }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
