/* A Leaflet map of one point, for every element marked data-point-map (data-lat, data-lng and, when an
   intranet tile server is configured, data-tiles). A file rather than an inline script, for the Content
   Security Policy. */
(function () {
  "use strict";
  document.querySelectorAll("[data-point-map]").forEach(function (el) {
    var point = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lng)];
    var map = L.map(el, {attributionControl: false}).setView(point, 15);
    if (el.dataset.tiles) { L.tileLayer(el.dataset.tiles, {maxZoom: 19}).addTo(map); }
    else { el.classList.add("blank"); }
    L.circleMarker(point, {radius: 9, color: "#b91c1c", fillOpacity: 0.8}).addTo(map);
  });
})();
