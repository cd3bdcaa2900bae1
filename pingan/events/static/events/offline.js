/* Offline reporting for the phone pages (no library): a report typed without network is kept in IndexedDB
   (photos included, as Blobs) and sent when the network returns. Each report carries an idempotency key made
   when the form is filled, so a report sent twice (a retry after a lost answer) is registered once.
   Shared by the event report page and the dispute registration page: the form's data attributes say what
   differs (data-api, data-sw, and optionally data-sw-scope, data-db, data-label-select, data-label-text,
   data-label, data-done with {id}); without them it behaves as the event report page. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form || !window.fetch || !window.indexedDB) return;
  var api = form.dataset.api;
  var statusBox = document.getElementById("offline-status");
  var queueBox = document.getElementById("queue-status");
  var queueList = document.getElementById("queue-list");
  var keyInput = document.getElementById("id_idempotency_key");
  var DB = form.dataset.db || "pingan-events", STORE = "outbox";
  var LABEL_SELECT = form.dataset.labelSelect || "#id_category";
  var LABEL_TEXT = form.dataset.labelText || "description";
  var LABEL = form.dataset.label || "事件";

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var s = ""; for (var i = 0; i < 32; i++) s += Math.floor(Math.random() * 16).toString(16);
    return s;
  }
  if (!keyInput.value) keyInput.value = newKey();

  function open() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "key" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function tx(mode, fn) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode), store = t.objectStore(STORE), out = fn(store);
        t.oncomplete = function () { resolve(out && out.result !== undefined ? out.result : out); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  function all() { return tx("readonly", function (s) { return s.getAll(); }); }
  function put(item) { return tx("readwrite", function (s) { s.put(item); }); }
  function remove(key) { return tx("readwrite", function (s) { s["delete"](key); }); }

  function show(text, kind) {
    statusBox.hidden = !text; statusBox.textContent = text || "";
    statusBox.className = "msg msg-" + (kind || "warning");
  }
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : form.querySelector("[name=csrfmiddlewaretoken]").value;
  }
  function snapshot() {
    var fields = {}, photos = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.disabled) return;
      if (el.type === "file") { Array.prototype.forEach.call(el.files, function (f) { photos.push(f); }); return; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      if (el.multiple && el.tagName === "SELECT") {
        fields[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; }).map(function (o) { return o.value; });
        return;
      }
      fields[el.name] = el.value;
    });
    var label = form.querySelector(LABEL_SELECT + " option:checked");
    return { key: fields.idempotency_key, fields: fields, photos: photos, saved: new Date().toISOString(),
             label: (label ? label.textContent : LABEL) + "：" + (fields[LABEL_TEXT] || "").slice(0, 20) };
  }
  function send(item) {
    var data = new FormData();
    Object.keys(item.fields).forEach(function (k) {
      var v = item.fields[k];
      if (Array.isArray(v)) v.forEach(function (x) { data.append(k, x); }); else data.append(k, v);
    });
    item.photos.forEach(function (p, i) { data.append("photos", p, p.name || ("photo" + i + ".jpg")); });
    return fetch(api, { method: "POST", body: data, credentials: "same-origin",
                        headers: { "X-CSRFToken": csrf(), "Idempotency-Key": item.key, "Accept": "application/json" } })
      .then(function (r) { return r.json().catch(function () { return {}; }).then(function (body) { return { status: r.status, body: body }; }); });
  }
  function render() {
    return all().then(function (items) {
      queueBox.hidden = !items.length;
      queueList.innerHTML = "";
      items.forEach(function (it) {
        var li = document.createElement("li");
        li.textContent = it.label + "（" + it.saved.slice(0, 16).replace("T", " ") + " 保存" + (it.error ? "，" + it.error : "") + "）";
        queueList.appendChild(li);
      });
    });
  }
  var flushing = false;
  function flush() {
    if (flushing || !navigator.onLine) return Promise.resolve();
    flushing = true;
    return all().then(function (items) {
      return items.reduce(function (p, item) {
        return p.then(function () {
          return send(item).then(function (res) {
            if (res.status === 200 || res.status === 201) {
              show("离线保存的上报已发送，编号 " + res.body.number + "。", "success");
              return remove(item.key);
            }
            if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
              item.error = "未通过：" + (res.body.detail || res.status); return put(item);
            }
          }, function () { /* still offline: keep it */ });
        });
      }, Promise.resolve());
    }).then(render, render).then(function () { flushing = false; }, function () { flushing = false; });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var item = snapshot();
    var button = document.getElementById("submit-btn");
    button.disabled = true;
    function keep() {
      return put(item).then(function () {
        show("当前没有网络，上报已保存在本机，联网后会自动发送（不会重复登记）。");
        form.reset(); keyInput.value = newKey(); return render();
      });
    }
    var attempt = navigator.onLine ? send(item) : Promise.reject(new Error("offline"));
    attempt.then(function (res) {
      if (res.status === 200 || res.status === 201) {
        window.location.href = form.dataset.done ? form.dataset.done.replace("{id}", res.body.id)
          : window.location.pathname.replace(/report\/?$/, "") + res.body.id + "/";
        return;
      }
      if (res.status >= 500) return keep();
      var msgs = [];
      var errs = res.body.errors || {};
      Object.keys(errs).forEach(function (k) { msgs = msgs.concat(errs[k]); });
      show(msgs.join(" ") || res.body.detail || "上报未成功，请检查后重试。", "error");
    }, keep).then(function () { button.disabled = false; }, function () { button.disabled = false; });
  });

  // Coordinates from the phone, only for the event's location; nothing is sent or kept otherwise.
  var locateBtn = document.getElementById("locate-btn");
  if (locateBtn && navigator.geolocation) {
    locateBtn.addEventListener("click", function () {
      var st = document.getElementById("locate-status");
      st.textContent = "正在定位…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        document.getElementById("id_latitude").value = pos.coords.latitude.toFixed(6);
        document.getElementById("id_longitude").value = pos.coords.longitude.toFixed(6);
        st.textContent = "已填入当前位置（精度约 " + Math.round(pos.coords.accuracy) + " 米）。";
      }, function () { st.textContent = "未能定位，请手工填写位置。"; }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }

  window.addEventListener("online", function () { show("网络已恢复，正在发送离线保存的上报…", "success"); flush(); });
  window.addEventListener("offline", function () { show("当前没有网络：可以继续填写，上报会保存在本机。"); });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(form.dataset.sw, { scope: form.dataset.swScope || "/events/" }).catch(function () {});
    navigator.serviceWorker.addEventListener("message", function (e) { if (e.data === "flush") flush(); });
  }
  render().then(flush);
})();
