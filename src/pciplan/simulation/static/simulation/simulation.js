/* "Mô phỏng" page: sliders beside the typed scores, automatic submit of the setting, error marks.
   Everything works without this file (plain form submits); it only adds the sliders and the live update. */
(function () {
  "use strict";

  function format(value) {
    return Number(value).toFixed(2).replace(".", ",");
  }

  function parse(text) {
    var t = String(text || "").trim().replace(/\s/g, "");
    if (/^[+-]?\d+,\d+$/.test(t)) { t = t.replace(",", "."); }
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t)) { return NaN; }
    return parseFloat(t);
  }

  function setUp(root) {
    root.querySelectorAll("input.sim-slider").forEach(function (slider) {
      if (slider.dataset.ready) { return; }
      slider.dataset.ready = "1";
      var box = document.getElementById(slider.dataset.for);
      if (!box) { return; }
      var sync = function () {
        var v = parse(box.value);
        if (!isNaN(v) && v >= Number(slider.min) && v <= Number(slider.max)) { slider.value = v; }
      };
      sync();
      slider.hidden = false;
      slider.addEventListener("input", function () {
        box.value = format(slider.value);
        box.dispatchEvent(new CustomEvent("sim-input", { bubbles: true }));
      });
      slider.addEventListener("change", function (event) {
        // The text box carries the value: one debounced update however the slider moved (mouse or keys).
        event.stopPropagation();
        box.dispatchEvent(new CustomEvent("sim-input", { bubbles: true }));
      });
      box.addEventListener("input", sync);
    });
    root.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      if (select.dataset.ready) { return; }
      select.dataset.ready = "1";
      select.addEventListener("change", function () {
        var form = select.form;
        if (select.name === "ke_hoach") {
          // A new plan brings its own province and years.
          form.querySelectorAll("select:not([name=ke_hoach])").forEach(function (s) { s.disabled = true; });
        }
        form.submit();
      });
    });
    root.querySelectorAll(".sim-quick").forEach(function (box) {
      if (box.dataset.ready) { return; }
      box.dataset.ready = "1";
      box.hidden = false;
      box.querySelectorAll("button[data-rank]").forEach(function (button) {
        button.addEventListener("click", function () {
          var input = document.getElementById("id_hang");
          input.value = button.dataset.rank;
          input.dispatchEvent(new Event("change", { bubbles: true }));
        });
      });
    });
    root.querySelectorAll(".sim-nojs").forEach(function (el) { el.classList.add("visually-hidden"); });
    root.querySelectorAll(".sim-js-only").forEach(function (el) { el.hidden = false; });
  }

  function markErrors() {
    document.querySelectorAll(".sim-err").forEach(function (div) {
      var input = document.getElementById(div.dataset.for);
      if (!input) { return; }
      var bad = div.textContent.trim() !== "";
      input.classList.toggle("is-invalid", bad);
      if (bad) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
      div.classList.toggle("d-block", bad);
      var row = input.closest(".sim-row");
      if (row) { row.classList.toggle("sim-row-bad", bad); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:load", function (event) { setUp(event.detail.elt); });
  document.addEventListener("htmx:afterSettle", markErrors);
})();
