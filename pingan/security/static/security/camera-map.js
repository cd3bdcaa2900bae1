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
  // Colour by cameras per 100 residents relative to the highest village shown (four steps), so the map reads
  // the same in a small demo and in the real district.
  var highest = 0;
  function colour(per100) {
    if (per100 === null || per100 === undefined || !highest) { return "#9ca3af"; }
    var share = per100 / highest;
    if (share > 0.75) { return "#7f1d1d"; }
    if (share > 0.5) { return "#b91c1c"; }
    if (share > 0.25) { return "#ef4444"; }
    return "#fca5a5";
  }
  function text(value) { return value === null || value === undefined ? "—" : String(value); }
  fetch(el.dataset.source, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
    var bounds = [];
    var total = 0;
    data.features.forEach(function (f) {
      if (f.properties.per_100 !== null && f.properties.per_100 > highest) { highest = f.properties.per_100; }
    });
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
