// The 打印 button of a document's printable page (no inline script: the pages run under a strict CSP).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
