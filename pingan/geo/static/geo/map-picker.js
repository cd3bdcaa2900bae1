/* The map picker (pingan/geo/widgets.py): tap the jurisdiction's map to fill a form's latitude and longitude
   inputs. The inputs stay visible and editable; the server validates what is posted. Records only what the user
   taps: no position tracking. Each [data-map-picker] is set up once (the script may be included twice). */
(function () {
  "use strict";
  if (typeof L === "undefined" || !window.PinganBoundaries) { return; }

  function setup(box) {
    if (box.dataset.ready) { return; }
    box.dataset.ready = "1";
    var latInput = document.getElementById(box.dataset.lat);
    var lngInput = document.getElementById(box.dataset.lng);
    var mapEl = box.querySelector(".map-picker-map");
    var status = box.querySelector("[data-picker-status]");
    if (!latInput || !lngInput || !mapEl) { return; }
    var map = PinganBoundaries.baseMap(mapEl, box.dataset.tiles);
    map.setView([37.87, 113.57], 10);
    var marker = null;
    var extent = null;

    function read() {
      var lat = parseFloat(String(latInput.value).replace("，", ".")), lng = parseFloat(String(lngInput.value).replace("，", "."));
      if (isNaN(lat) || isNaN(lng) || lat < -90 || lat > 90 || lng < -180 || lng > 180) { return null; }
      return L.latLng(lat, lng);
    }

    function place(latlng, pan) {
      if (!latlng) {
        if (marker) { map.removeLayer(marker); marker = null; }
        return;
      }
      if (!marker) {
        marker = L.circleMarker(latlng, {radius: 8, color: "#fff", weight: 2, fillColor: "#b91c1c", fillOpacity: 0.95});
        marker.addTo(map);
      } else {
        marker.setLatLng(latlng);
      }
      if (pan) { map.panTo(latlng); }
    }

    function fire(input) {
      input.dispatchEvent(new Event("input", {bubbles: true}));
      input.dispatchEvent(new Event("change", {bubbles: true}));
    }

    map.on("click", function (event) {
      latInput.value = event.latlng.lat.toFixed(6);
      lngInput.value = event.latlng.lng.toFixed(6);
      fire(latInput);
      fire(lngInput);
      place(event.latlng, false);
      if (status) {
        status.textContent = "已标注：纬度 " + latInput.value + "，经度 " + lngInput.value + "（可再点一次修改）。";
      }
      if (extent && !extent.contains(event.latlng) && status) {
        status.textContent += " 注意：该点在本辖区范围之外。";
      }
    });
    [latInput, lngInput].forEach(function (input) {
      input.addEventListener("change", function () { place(read(), true); });
    });
    var clear = box.querySelector("[data-picker-clear]");
    if (clear) {
      clear.addEventListener("click", function () {
        latInput.value = "";
        lngInput.value = "";
        fire(latInput);
        fire(lngInput);
        place(null);
        if (status) { status.textContent = "已清除位置。位置为选填项。"; }
      });
    }

    function drawn(data) {
      PinganBoundaries.draw(map, data);
      extent = PinganBoundaries.bounds(data.meta);
      var current = read();
      if (current) { place(current, false); map.setView(current, 14); }
      else if (extent) { map.fitBounds(extent, {padding: [6, 6]}); }
    }

    if (box.dataset.boundariesJson) {
      var embedded = document.getElementById(box.dataset.boundariesJson);
      if (embedded) { drawn(JSON.parse(embedded.textContent)); }
    } else if (box.dataset.boundaries) {
      fetch(box.dataset.boundaries, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
        .then(drawn)
        .catch(function () {
          var current = read();
          if (current) { place(current, false); map.setView(current, 14); }
          if (status) { status.textContent = "辖区边界暂时无法加载（可能处于离线状态），仍可点选或直接填写经纬度。"; }
        });
    }
  }

  function all() { document.querySelectorAll("[data-map-picker]").forEach(setup); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", all); } else { all(); }
})();
