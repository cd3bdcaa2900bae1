/* 大屏: draws the panels from the dashboard's data (json_script first, then the data call every `refresh`
   seconds), rotates the main panel every `rotate` seconds through each measure's monthly trend and its
   breakdown by place — on the map of the areas below (#screen-areas: the boundaries, no tiles) when the user may
   open the map, as bars otherwise. No inline script or style: CSP. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("screen-config").textContent);
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var chart = echarts.init(document.getElementById("screen-main"), null, { renderer: "canvas" });
  var areasEl = document.getElementById("screen-areas");
  var areas = areasEl ? JSON.parse(areasEl.textContent) : null;
  var areaNames = {};
  if (areas && areas.features && areas.features.length) {
    areas.features.forEach(function (f) { areaNames[f.properties.code] = f.properties.short_name || f.properties.name; });
    echarts.registerMap("pingan-areas", areas);
  } else {
    areas = null;
  }
  var slides = [];
  var index = 0;
  var AXIS = "#8aa4d6";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function linked(text, url, cls) {
    var node = el(url ? "a" : "span", cls, text);
    if (url) { node.href = url; }
    return node;
  }
  function changeClass(shown) { return shown.charAt(0) === "+" ? "up" : (shown.charAt(0) === "−" ? "down" : ""); }
  function fill(id, nodes, empty) {
    var box = document.getElementById(id);
    box.replaceChildren.apply(box, nodes.length ? nodes : [el("div", "empty", empty)]);
  }
  function vw(n) { return Math.round(window.innerWidth * n / 100); }

  function renderPanels() {
    fill("screen-kpis", data.kpis.map(function (k) {
      var box = el("div", "kpi");
      box.appendChild(el("div", "label", k.group + " · " + k.label));
      box.appendChild(linked(k.shown, k.url, "value"));
      var change = el("div", "change", "同比 ");
      change.appendChild(el("span", changeClass(k.change_shown), k.change_shown));
      box.appendChild(change);
      return box;
    }), "暂无关键指标");
    document.getElementById("screen-today").textContent = data.today;
    fill("screen-today-list", data.measures.map(function (m) {
      var box = el("div", "today");
      box.appendChild(el("div", "label", "今日" + m.label));
      box.appendChild(linked(m.today, m.today_url, "value"));
      return box;
    }), "暂无");
    fill("screen-measures", data.measures.map(function (m) {
      var box = el("div", "measure");
      box.appendChild(el("div", "label", m.label));
      box.appendChild(linked(m.total, m.url, "value"));
      var change = el("div", "change", "同比 ");
      change.appendChild(el("span", changeClass(m.change_shown), m.change_shown));
      box.appendChild(change);
      if (m.overdue !== undefined || m.supervised !== undefined) {
        var now = el("div", "change");
        if (m.overdue !== undefined) {
          now.appendChild(document.createTextNode("超期 "));
          now.appendChild(linked(m.overdue, m.overdue_url, m.overdue ? "up" : ""));
        }
        if (m.supervised !== undefined) {
          now.appendChild(document.createTextNode((m.overdue !== undefined ? " · " : "") + "督办 "));
          now.appendChild(linked(m.supervised, m.supervised_url));
        }
        box.appendChild(now);
      }
      return box;
    }), "暂无");
    var alerts = document.getElementById("screen-alerts");
    alerts.replaceChildren();
    if (!data.alerts.length) { alerts.appendChild(el("li", "empty", "没有待处理的预警")); }
    data.alerts.forEach(function (a) {
      var li = el("li");
      li.appendChild(el("span", "lvl lvl-" + a.level, a.level_label));
      li.appendChild(linked(a.title, a.url));
      li.appendChild(el("span", "meta", a.place + " " + a.raised_at));
      alerts.appendChild(li);
    });
    document.getElementById("screen-period").textContent = "统计期 " + data.period.from + " 至 " + data.period.to;
    slides = [];
    data.measures.forEach(function (m) {
      if (m.by_place.length) {
        slides.push({ title: m.label + " · " + data.place_title + (areas ? "分布" : ""), measure: m,
                      kind: areas ? "map" : "place" });
      }
      slides.push({ title: m.label + " · 近 12 个月趋势", measure: m, kind: "trend" });
    });
    var dots = document.getElementById("screen-dots");
    dots.replaceChildren.apply(dots, slides.map(function () { return el("span"); }));
    if (index >= slides.length) { index = 0; }
  }

  function option(slide) {
    var m = slide.measure;
    var text = { color: AXIS, fontSize: vw(0.75) };
    if (slide.kind === "trend") {
      return {
        textStyle: text, legend: { data: ["本年", "上年同月"], textStyle: { color: "#dbe7ff", fontSize: vw(0.8) }, top: 0 },
        tooltip: { trigger: "axis" }, grid: { left: vw(3), right: vw(1.5), top: vw(2.5), bottom: vw(2) },
        xAxis: { type: "category", data: m.months.map(function (p) { return p.month; }), axisLabel: text },
        yAxis: { type: "value", minInterval: 1, axisLabel: text, splitLine: { lineStyle: { color: "#1c3a6e" } } },
        series: [
          { name: "本年", type: "line", symbolSize: vw(0.5), lineStyle: { width: vw(0.18) }, itemStyle: { color: "#38bdf8" },
            areaStyle: { color: "rgba(56,189,248,.15)" }, label: { show: true, color: "#dbe7ff", fontSize: vw(0.7) },
            data: m.months.map(function (p) { return { value: p.value, url: p.url }; }) },
          { name: "上年同月", type: "line", symbolSize: vw(0.35), lineStyle: { type: "dashed", width: vw(0.1) },
            itemStyle: { color: "#8aa4d6" }, data: m.months.map(function (p) { return { value: p.previous, url: p.previous_url }; }) }
        ]
      };
    }
    if (slide.kind === "map") {
      var values = m.by_place.map(function (p) { return p.value; });
      var top = Math.max.apply(null, values.concat([1]));
      return {
        textStyle: text, tooltip: { trigger: "item", formatter: function (p) { return (areaNames[p.name] || "") + "：" + (p.value || 0); } },
        visualMap: { min: 0, max: top, calculable: false, orient: "vertical", left: vw(0.5), bottom: vw(0.5),
                     text: ["多", "少"], textStyle: { color: "#dbe7ff", fontSize: vw(0.7) },
                     inRange: { color: ["#12305f", "#1d5fa8", "#38bdf8", "#fbbf24", "#f97316"] } },
        series: [{ type: "map", map: "pingan-areas", nameProperty: "code", roam: false, selectedMode: false,
                   layoutCenter: ["50%", "50%"], layoutSize: "95%",
                   itemStyle: { borderColor: "#0b1a33", borderWidth: 1, areaColor: "#12305f" },
                   emphasis: { itemStyle: { areaColor: "#fde68a" }, label: { color: "#061229" } },
                   label: { show: true, color: "#f8fafc", fontSize: vw(0.7), textBorderColor: "#061229", textBorderWidth: 2,
                            formatter: function (p) { return (areaNames[p.name] || "") + "\n" + (isNaN(p.value) ? 0 : p.value); } },
                   data: m.by_place.map(function (p) { return { name: p.code, value: p.value, url: p.url }; }) }]
      };
    }
    return {
      textStyle: text, tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: vw(7), right: vw(3), top: vw(1), bottom: vw(1.5) },
      xAxis: { type: "value", minInterval: 1, axisLabel: text, splitLine: { lineStyle: { color: "#1c3a6e" } } },
      yAxis: { type: "category", inverse: true, data: m.by_place.map(function (p) { return p.name; }),
               axisLabel: { color: "#dbe7ff", fontSize: vw(0.75) } },
      series: [{ type: "bar", barMaxWidth: vw(1.4), itemStyle: { color: "#fbbf24" },
                 label: { show: true, position: "right", color: "#dbe7ff", fontSize: vw(0.75) },
                 data: m.by_place.map(function (p) { return { value: p.value, url: p.url }; }) }]
    };
  }

  function show() {
    if (!slides.length) { return; }
    var slide = slides[index % slides.length];
    document.getElementById("screen-main-title").textContent = slide.title;
    chart.setOption(option(slide), true);
    document.querySelectorAll("#screen-dots span").forEach(function (dot, i) { dot.classList.toggle("on", i === index % slides.length); });
  }

  chart.on("click", function (params) { if (params.data && params.data.url) { window.location.href = params.data.url; } });

  function refresh() {
    var query = Object.keys(config.query).filter(function (k) { return config.query[k]; })
      .map(function (k) { return encodeURIComponent(k) + "=" + encodeURIComponent(config.query[k]); }).join("&");
    fetch(config.api + (query ? "?" + query : ""), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (fresh) {
        data = fresh;
        renderPanels();
        show();
        var status = document.getElementById("screen-status");
        status.textContent = "已更新 " + new Date().toTimeString().slice(0, 5);
        status.classList.remove("stale");
      })
      .catch(function () {
        var status = document.getElementById("screen-status");
        status.textContent = "更新失败，稍后重试";
        status.classList.add("stale");
      });
  }

  function tick() {
    var now = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    document.getElementById("screen-clock").textContent = now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" +
      two(now.getDate()) + " " + two(now.getHours()) + ":" + two(now.getMinutes()) + ":" + two(now.getSeconds());
  }

  renderPanels();
  show();
  tick();
  setInterval(tick, 1000);
  setInterval(function () { index = (index + 1) % Math.max(slides.length, 1); show(); }, config.rotate * 1000);
  setInterval(refresh, config.refresh * 1000);
  window.addEventListener("resize", function () { chart.resize(); show(); });
})();
