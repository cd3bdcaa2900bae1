/* Shows the chosen category's extra fields (Open311 attributes) on the report forms. */
(function () {
  "use strict";
  var holder = document.getElementById("category-fields");
  var select = document.getElementById("id_category"), extra = document.getElementById("extra-fields");
  if (!holder || !select || !extra) return;
  // The chosen category's extra fields.
  var defs = JSON.parse(holder.textContent || "{}");
  function drawFields() {
    extra.innerHTML = "";
    var def = defs[select.value];
    var hint = document.getElementById("photo-hint");
    if (hint) hint.textContent = def && def.photo ? "按区里的规定，此类事件需要附照片。" : "照片会自动压缩；不要求必须拍照。";
    if (!def) return;
    def.fields.forEach(function (f) {
      var row = document.createElement("div"); row.className = "form-row";
      var label = document.createElement("label"); label.textContent = f.label + (f.required ? "" : "（选填）");
      var input;
      if (f.type === "singlevaluelist" || f.type === "multivaluelist") {
        input = document.createElement("select");
        if (f.type === "multivaluelist") input.multiple = true; else input.appendChild(new Option("请选择", ""));
        f.values.forEach(function (v) { input.appendChild(new Option(v.name, v.key)); });
      } else if (f.type === "text") { input = document.createElement("textarea"); input.rows = 2; }
      else { input = document.createElement("input"); input.type = f.type === "number" ? "number" : (f.type === "datetime" ? "datetime-local" : "text"); }
      input.name = "attribute[" + f.code + "]";
      label.appendChild(input); row.appendChild(label); extra.appendChild(row);
    });
  }
  select.addEventListener("change", drawFields); drawFields();

})();
