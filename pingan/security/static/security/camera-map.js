/* 探头分布图: one circle per village from the page's GeoJSON (data-source), radius by the number of cameras,
   colour by cameras per 100 residents. A file, not an inline script, for the Content Security Policy; no tiles
   unless an intranet tile server is configured (data-tiles). */
(function () {
  "use strict";
  var el = document.querySelector("[data-camera-map]");
  if (!el || typeof L === "undefined") { return; }
  var map = L.map(el, {attributionControl: false}).setView([37.87, 113.57], 10);
  if (el.dataset.tiles) { L.tileLayer(el.dataset.tiles, {maxZoom: 19}).addTo(map); }
  else { el.classList.add("blank"); }
  function colour(per100) {
    if (per100 === null || per100 === undefined) { return "#9ca3af"; }
    if (per100 >= 4) { return "#7f1d1d"; }
    if (per100 >= 2) { return "#b91c1c"; }
    if (per100 >= 1) { return "#ef4444"; }
    return "#fca5a5";
  }
  function text(value) { return value === null || value === undefined ? "—" : String(value); }
  fetch(el.dataset.source, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
    var bounds = [];
    var total = 0;
    data.features.forEach(function (f) {
      var p = f.properties;
      var point = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
      total += p.cameras;
      bounds.push(point);
      var marker = L.circleMarker(point, {radius: 3 + Math.sqrt(p.cameras) * 1.6, color: "#374151", weight: 1,
                                          fillColor: colour(p.per_100), fillOpacity: 0.75});
      var box = document.createElement("div");
      [p.township + " " + p.name, "探头 " + p.cameras + "（高清 " + p.hd + "，联网 " + p.networked + "）",
       "每百人 " + text(p.per_100)].forEach(function (line) {
        var row = document.createElement("div");
        row.textContent = line;
        box.appendChild(row);
      });
      marker.bindPopup(box);
      marker.addTo(map);
    });
    if (bounds.length) { map.fitBounds(bounds, {padding: [20, 20]}); }
    var summary = document.getElementById("camera-map-summary");
    if (summary) { summary.textContent = data.features.length + " 个村(社区)，共 " + total + " 个探头。"; }
  });
})();
