/* The jurisdiction's boundaries as a map's base layer (no tiles needed): the county outline, townships with
   their names, villages with theirs (shown when zoomed in), grids dashed. Shared by the map page and the map
   picker (window.PinganBoundaries). A file, not an inline script, for the Content Security Policy. */
(function () {
  "use strict";
  var STYLES = {
    county: {color: "#1f2937", weight: 3, fill: false},
    township: {color: "#1d4ed8", weight: 2, fillColor: "#dbeafe", fillOpacity: 0.35},
    village: {color: "#64748b", weight: 1, fillColor: "#f8fafc", fillOpacity: 0.2},
    grid: {color: "#94a3b8", weight: 0.8, dashArray: "3 3", fill: false}
  };
  var ORDER = {county: 0, township: 1, village: 2, grid: 3};

  function draw(map, data, options) {
    options = options || {};
    var group = L.featureGroup();
    var features = data.features.slice().sort(function (a, b) {
      return ORDER[a.properties.level] - ORDER[b.properties.level];
    });
    // A township's own map: its villages are the areas to name (the township itself is the frame).
    var hasTownships = features.some(function (f) { return f.properties.level === "township" && !f.properties.self; });
    features.forEach(function (f) {
      var p = f.properties;
      var style = STYLES[p.level] || STYLES.village;
      // The map's own area (a township's, a village's or a grid worker's grid): a solid dark outline, lightly
      // filled, and its name even when it is a grid (a grid worker's picker shows only that grid).
      if (p.self && p.level !== "county") {
        style = L.extend({}, style, {color: "#1f2937", weight: 3, dashArray: null, fill: true, fillColor: "#dbeafe",
                                     fillOpacity: 0.35});
      }
      var shape = L.geoJSON(f, {style: function () { return style; }, interactive: p.level === "village" || p.level === "township"});
      if (options.labels !== false && p.self && p.level === "grid") {
        shape.bindTooltip(p.short_name || p.name, {permanent: true, direction: "center", className: "map-label map-label-main"});
      } else if (options.labels !== false && (p.level === "township" || p.level === "village")) {
        // Township names from zoom 10, village names from zoom 12 (CSS), or always when villages are the
        // largest areas shown (a township's own map).
        var cls = p.level === "township" ? "map-label-township" : (hasTownships ? "map-label-village" : "map-label-own");
        shape.bindTooltip(p.short_name || p.name, {permanent: true, direction: "center", className: "map-label " + cls});
      }
      shape.addTo(group);
    });
    group.addTo(map);
    // Village names only when zoomed in far enough to read them.
    function zoomClass() {
      map.getContainer().classList.toggle("show-village-labels", map.getZoom() >= 12);
      map.getContainer().classList.toggle("show-township-labels", map.getZoom() >= 10);
    }
    map.on("zoomend", zoomClass);
    zoomClass();
    return group;
  }

  function bounds(meta) {
    if (!meta || !meta.bbox) { return null; }
    return L.latLngBounds([meta.bbox[1], meta.bbox[0]], [meta.bbox[3], meta.bbox[2]]);
  }

  function baseMap(el, tiles) {
    var map = L.map(el, {attributionControl: false, preferCanvas: true, zoomSnap: 0.25});
    if (tiles) { L.tileLayer(tiles, {maxZoom: 19}).addTo(map); }
    else { el.classList.add("blank"); }
    return map;
  }

  window.PinganBoundaries = {draw: draw, bounds: bounds, baseMap: baseMap};
})();
