// Job page: refresh the <progress> bar from the job's status endpoint until the job has finished, then reload
// the page to show the result. No inline script (Content Security Policy): the URL comes from data-status-url.
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  var state = box.querySelector("[data-progress-status]");
  var delay = 1500;

  function show(data) {
    if (bar) {
      if (data.total > 0) {
        bar.max = data.total;
        bar.value = Math.min(data.done, data.total);
      } else {
        bar.removeAttribute("value");  // indeterminate until the total is known
      }
    }
    if (text) {
      var stage = data.stage ? data.stage + "：" : "";
      text.textContent = data.total > 0
        ? stage + "已处理 " + data.done + " / " + data.total + " 行（" + Math.floor(data.done * 100 / data.total) + "%）"
        : (data.done > 0 ? stage + "已处理 " + data.done + " 行" : data.message);
    }
    if (state) { state.textContent = data.status_label; }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }

  if (box.getAttribute("data-finished") !== "1") {
    window.setTimeout(poll, delay);
  }
})();
