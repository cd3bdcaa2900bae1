/* 综治地图: boundaries as the base layer, the modules' layers (GeoJSON from /api/v1/geo/layers/<key>/), period
   and category filters, density shading. Data from the page's json_script (#map-config). No inline script, no
   innerHTML of record text (the Content Security Policy and XSS): every text goes in with textContent. */
(function () {
  "use strict";
  var configEl = document.getElementById("map-config");
  var el = document.getElementById("pingan-map");
  if (!configEl || !el || typeof L === "undefined") { return; }
  var config = JSON.parse(configEl.textContent);
  var map = PinganBoundaries.baseMap(el, config.tiles);
  var status = document.getElementById("map-status");
  var legend = document.getElementById("map-legend");
  var form = document.getElementById("map-controls");
  var COLORS = {events: "#dc2626", disputes: "#d97706", hazards: "#7c3aed", liaison: "#059669", cameras: "#2563eb",
                petitions: "#0e7490", special_people: "#be185d"};
  // Blues: the points (red, green, orange…) stay readable on every step.
  var DENSITY = ["#f8fafc", "#dbeafe", "#93c5fd", "#3b82f6", "#1e40af"];
  var overlays = {};
  var density = null;
  var boundaryGroup = null;
  var extent = null;
  var jurisdiction = config.jurisdiction;
  var messages = {};
  var skipMove = false;
  // Each layer's (and the density's) latest request: an answer to an older one (the user changed a filter
  // or turned the layer off meanwhile) is dropped, so two answers never both draw or fight over the legend.
  var latest = {};
  var boundaryNote = "";

  function ticket(key) { latest[key] = (latest[key] || 0) + 1; return latest[key]; }

  function byKey(key) {
    return config.layers.filter(function (l) { return l.key === key; })[0];
  }

  // Category options from the layers' descriptions.
  config.layers.forEach(function (layer) {
    var select = form.querySelector('[data-category="' + layer.key + '"]');
    if (!select) { return; }
    if (!layer.categories.length) { select.hidden = true; return; }
    layer.categories.forEach(function (c) {
      var option = document.createElement("option");
      option.value = c.value;
      option.textContent = c.label;
      select.appendChild(option);
    });
  });

  // A layer's category list only while the layer is on.
  function syncCategories() {
    form.querySelectorAll("[data-layer]").forEach(function (box) {
      var select = form.querySelector('[data-category="' + box.value + '"]');
      var layer = byKey(box.value);
      if (select) { select.hidden = !box.checked || !layer || !layer.categories.length; }
    });
  }
  syncCategories();

  function showStatus() {
    var parts = Object.keys(messages).map(function (k) { return messages[k]; }).filter(Boolean);
    status.textContent = parts.join(" ");
  }

  function value(id) { var input = document.getElementById(id); return input ? input.value.trim() : ""; }

  function bboxParam() {
    // The part of the jurisdiction on screen: never larger than the jurisdiction's own box.
    var view = map.getBounds();
    if (extent) {
      var south = Math.max(view.getSouth(), extent.getSouth()), north = Math.min(view.getNorth(), extent.getNorth());
      var west = Math.max(view.getWest(), extent.getWest()), east = Math.min(view.getEast(), extent.getEast());
      if (south >= north || west >= east) { return null; }
      return [west, south, east, north].map(function (v) { return v.toFixed(5); }).join(",");
    }
    return null;
  }

  function query(extra) {
    var params = new URLSearchParams();
    params.set("jurisdiction", jurisdiction);
    if (value("map-from")) { params.set("from", value("map-from")); }
    if (value("map-to")) { params.set("to", value("map-to")); }
    Object.keys(extra || {}).forEach(function (k) { if (extra[k]) { params.set(k, extra[k]); } });
    return params.toString();
  }

  function getJSON(url) {
    return fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}}).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok) { throw new Error(data.detail || ("请求失败（" + r.status + "）")); }
        return data;
      });
    });
  }

  function line(parent, text, cls) {
    var div = document.createElement("div");
    if (cls) { div.className = cls; }
    div.textContent = text;
    parent.appendChild(div);
    return div;
  }

  function link(parent, text, href) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    parent.appendChild(a);
    return a;
  }

  function pointPopup(p, layer) {
    var box = document.createElement("div");
    box.className = "map-popup";
    line(box, layer.label, "muted");
    line(box, p.title, "map-popup-title");
    if (p.subtitle) { line(box, p.subtitle); }
    if (p.url) { link(box, "查看详情", p.url); }
    return box;
  }

  function areaPopup(p, unit, listText) {
    var box = document.createElement("div");
    box.className = "map-popup";
    line(box, p.name, "map-popup-title");
    line(box, p.count + " " + unit);
    if (p.url) { link(box, listText, p.url); }
    return box;
  }

  function setCount(key, text) {
    var span = form.querySelector('[data-count="' + key + '"]');
    if (span) { span.textContent = text; }
  }

  function loadLayer(key) {
    var layer = byKey(key);
    var select = form.querySelector('[data-category="' + key + '"]');
    var extra = {category: select ? select.value : "", bbox: layer.kind === "points" ? bboxParam() : null};
    setCount(key, "加载中…");
    var mine = ticket(key);
    return getJSON(config.layer.replace("KEY", key) + "?" + query(extra)).then(function (data) {
      if (mine !== latest[key]) { return; }
      if (overlays[key]) { map.removeLayer(overlays[key]); }
      var color = COLORS[key] || "#374151";
      var group;
      if (layer.kind === "points") {
        group = L.featureGroup();
        data.features.forEach(function (f) {
          var c = f.geometry.coordinates;
          L.circleMarker([c[1], c[0]], {radius: 5, color: "#fff", weight: 1, fillColor: color, fillOpacity: 0.9})
            .bindPopup(pointPopup(f.properties, layer)).addTo(group);
        });
      } else {
        var highest = data.features.reduce(function (m, f) { return Math.max(m, f.properties.count); }, 0);
        var unit = key === "special_people" ? "人" : "件";
        group = L.geoJSON(data, {
          style: function (f) {
            var share = highest ? f.properties.count / highest : 0;
            return {color: color, weight: 1.5, fillColor: color, fillOpacity: 0.15 + 0.55 * share};
          },
          onEachFeature: function (f, shape) {
            shape.bindTooltip(f.properties.name + "：" + f.properties.count + " " + unit, {sticky: true});
            shape.bindPopup(areaPopup(f.properties, unit, key === "special_people" ? "查看名单" : "查看列表"));
          }
        });
      }
      group.addTo(map);
      overlays[key] = group;
      var total = data.meta.kind === "points" ? data.meta.total + " 个" : data.meta.total + (key === "special_people" ? " 人" : " 件");
      setCount(key, total);
      messages[key] = data.meta.message ? layer.label + "：" + data.meta.message : "";
      showStatus();
    }).catch(function (err) {
      if (mine !== latest[key]) { return; }
      setCount(key, "");
      messages[key] = layer.label + "：" + err.message;
      showStatus();
    });
  }

  function removeLayer(key) {
    ticket(key);
    if (overlays[key]) { map.removeLayer(overlays[key]); delete overlays[key]; }
    setCount(key, "");
    delete messages[key];
    showStatus();
  }

  function densityColor(count, highest) {
    if (!count || !highest) { return DENSITY[0]; }
    var step = Math.min(4, 1 + Math.floor((count / highest) * 3.999));
    return DENSITY[step];
  }

  function showLegend(highest, label) {
    legend.textContent = "";
    legend.hidden = false;
    line(legend, label + "：");
    var edges = [0, 1, Math.ceil(highest * 0.25), Math.ceil(highest * 0.5), Math.ceil(highest * 0.75)];
    DENSITY.forEach(function (colour, i) {
      var item = document.createElement("span");
      var swatch = document.createElement("span");
      swatch.className = "step d" + i;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(i === 0 ? " 0" : " " + edges[i] + (i === 4 ? "–" + highest : "+")));
      legend.appendChild(item);
    });
  }

  function loadDensity() {
    var on = document.getElementById("density-on");
    var mine = ticket("density");
    if (density) { map.removeLayer(density); density = null; }
    legend.hidden = true;
    delete messages.density;
    if (!on || !on.checked) { showStatus(); return Promise.resolve(); }
    var of = value("density-of");
    var select = form.querySelector('[data-category="' + of + '"]');
    var params = query({of: of, level: value("density-level"), category: select ? select.value : ""});
    return getJSON(config.layer.replace("KEY", "density") + "?" + params).then(function (data) {
      if (mine !== latest.density) { return; }
      var highest = data.meta.max;
      density = L.geoJSON(data, {
        style: function (f) {
          return {color: "#475569", weight: 0.8, fillColor: densityColor(f.properties.count, highest), fillOpacity: 0.75};
        },
        onEachFeature: function (f, shape) {
          shape.bindTooltip(f.properties.name + "：" + f.properties.count + " 件", {sticky: true});
          shape.bindPopup(areaPopup(f.properties, "件", "查看列表"));
        }
      });
      density.addTo(map);
      density.bringToBack();
      if (boundaryGroup) { boundaryGroup.bringToBack(); }
      showLegend(highest, data.meta.label);
      messages.density = data.meta.message || "";
      showStatus();
    }).catch(function (err) { if (mine === latest.density) { messages.density = err.message; showStatus(); } });
  }

  function checkedKeys() {
    return Array.prototype.map.call(form.querySelectorAll("[data-layer]:checked"), function (i) { return i.value; });
  }

  function refreshAll() {
    checkedKeys().forEach(loadLayer);
    loadDensity();
  }

  // The boundaries of `asked` (a code or a name); on success it becomes the map's jurisdiction and the
  // promise gives true. A refused place (404, another township) leaves the map as it was, says why, and
  // gives false, so the layers are not asked for a place they would refuse too.
  function loadBoundaries(asked) {
    var first = !boundaryGroup;
    return getJSON(config.boundaries + "?" + new URLSearchParams({jurisdiction: asked}).toString()).then(function (data) {
      if (boundaryGroup) { map.removeLayer(boundaryGroup); }
      boundaryGroup = PinganBoundaries.draw(map, data);
      jurisdiction = data.meta.jurisdiction;
      var scope = document.querySelector(".map-scope");
      if (scope && data.meta.name) { scope.textContent = data.meta.name; }
      extent = PinganBoundaries.bounds(data.meta);
      skipMove = true;
      if (extent) { map.fitBounds(extent, {padding: [10, 10]}); extent = extent.pad(0.05); }
      else { map.setView([37.87, 113.57], 10); }
      boundaryNote = data.meta.message || "";
      messages.boundaries = boundaryNote;
      showStatus();
      return true;
    }).catch(function (err) {
      messages.boundaries = err.message;
      showStatus();
      if (first) { map.setView([37.87, 113.57], 10); }
      return false;
    });
  }

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.dataset.layer) {
      syncCategories();
      if (target.checked) { loadLayer(target.value); } else { removeLayer(target.value); }
    } else if (target.dataset.category) {
      var box = form.querySelector('[data-layer="' + target.dataset.category + '"]');
      if (box && box.checked) { loadLayer(target.dataset.category); }
      if (value("density-of") === target.dataset.category) { loadDensity(); }
    } else if (target.id && target.id.indexOf("density") === 0) {
      loadDensity();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var asked = value("map-jurisdiction");
    if (asked && asked !== jurisdiction) {
      loadBoundaries(asked).then(function (ok) {
        if (!ok) { return; }
        Object.keys(overlays).forEach(function (k) { map.removeLayer(overlays[k]); delete overlays[k]; });
        refreshAll();
      });
    } else {
      messages.boundaries = boundaryNote;  // an earlier refusal no longer applies
      refreshAll();
    }
  });
  var moveTimer = null;
  map.on("moveend", function () {
    if (skipMove) { skipMove = false; return; }
    clearTimeout(moveTimer);
    moveTimer = setTimeout(function () {
      checkedKeys().forEach(function (key) { if (byKey(key).kind === "points") { loadLayer(key); } });
    }, 400);
  });
  loadBoundaries(jurisdiction).then(refreshAll);
})();
