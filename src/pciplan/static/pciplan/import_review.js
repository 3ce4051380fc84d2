/* Review of a plan read from a document: the source text and the form, linked both ways.
 *
 * - Focusing a field highlights where it was read (its span) and the passage of its row, and scrolls
 *   the source text there; clicking a highlight focuses the field it fills.
 * - Rows and units are added from <template>s and removed in place; "Bỏ" greys a row out (it is not
 *   created) and can be undone.
 * Everything also works without script: the add buttons then submit the form and the server adds the row.
 */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var form = document.getElementById("import-form");
  var source = document.getElementById("src-scroll");
  if (!form || !source) return;
  var pieces = Array.prototype.slice.call(source.querySelectorAll(".src-m, .src-p"));
  var kindFields = JSON.parse(document.getElementById("kind-fields").textContent);

  function parseSpan(text) {
    var m = /^(\d+)-(\d+)$/.exec(text || "");
    return m ? [parseInt(m[1], 10), parseInt(m[2], 10)] : null;
  }

  function clearMarks() {
    pieces.forEach(function (el) { el.classList.remove("on", "on-p"); });
    var current = form.querySelector(".pp-row.is-current");
    if (current) current.classList.remove("is-current");
  }

  function mark(span, cls) {
    var first = null;
    if (!span) return null;
    pieces.forEach(function (el) {
      var s = +el.dataset.s, e = +el.dataset.e;
      if (s >= span[0] && e <= span[1]) {
        if (cls === "on" && !el.classList.contains("src-m")) return;
        el.classList.add(cls);
        if (!first) first = el;
      }
    });
    return first;
  }

  function reveal(el) {
    if (!el || source.scrollHeight <= source.clientHeight + 4) return;
    var top = el.offsetTop - source.clientHeight / 3;
    source.scrollTo({ top: Math.max(0, top), behavior: "smooth" });
  }

  function showFor(field) {
    clearMarks();
    var row = field.closest("[data-row]");
    var rowSpan = row ? parseSpan(row.dataset.span) : null;
    var own = parseSpan(field.dataset.span);
    if (row && row.classList.contains("pp-row")) row.classList.add("is-current");
    var passage = mark(rowSpan, "on-p");
    var exact = mark(own, "on");
    reveal(exact || passage);
  }

  form.addEventListener("focusin", function (ev) {
    var t = ev.target;
    if (t.matches("input, select, textarea, button[data-span]")) showFor(t);
  });
  document.addEventListener("click", function (ev) {
    var bl = ev.target.closest("#sec-baselines [data-span]");
    if (bl) { showFor(bl); }
  });

  // Clicking the text goes to the field it fills.
  source.addEventListener("click", function (ev) {
    var piece = ev.target.closest(".src-m, .src-p");
    if (!piece) return;
    var ids = (piece.dataset.f || "").split(" ");
    for (var i = 0; i < ids.length; i++) {
      var field = document.getElementById(ids[i]);
      if (field) {
        var hidden = field.closest(".d-none");
        if (hidden && field.id.indexOf("-value") > 0) continue;
        field.scrollIntoView({ block: "center", behavior: "smooth" });
        field.focus({ preventScroll: true });
        showFor(field);
        return;
      }
    }
  });

  // "Xem trong văn bản": show a row's passage (useful on a phone, where the text is above).
  form.addEventListener("click", function (ev) {
    var see = ev.target.closest("[data-see]");
    if (!see) return;
    var row = see.closest("[data-row]");
    clearMarks();
    row.classList.add("is-current");
    var first = mark(parseSpan(row.dataset.span), "on-p");
    if (first) {
      if (window.matchMedia("(max-width: 991.98px)").matches) source.scrollIntoView({ block: "start", behavior: "smooth" });
      reveal(first);
    }
  });

  // Kinds of target show their own inputs; timing shows a date or a period.
  function applyKind(row) {
    var kind = row.querySelector("[data-kind-select]").value;
    row.dataset.kind = kind;
    Object.keys(kindFields).forEach(function (name) {
      var box = row.querySelector('[data-for="' + name + '"]');
      if (box) box.classList.toggle("d-none", kindFields[name].indexOf(kind) < 0);
    });
  }
  function applyTiming(row) {
    var timing = row.querySelector("[data-timing-select]").value;
    row.querySelectorAll("[data-timing]").forEach(function (box) {
      box.classList.toggle("d-none", box.dataset.timing !== timing);
    });
  }
  form.addEventListener("change", function (ev) {
    var t = ev.target;
    if (t.matches("[data-kind-select]")) applyKind(t.closest("[data-row]"));
    if (t.matches("[data-timing-select]")) applyTiming(t.closest("[data-row]"));
    if (t.matches("[data-remove-row]")) {
      t.closest("[data-row]").classList.toggle("is-removed", t.checked);
      count();
    }
    if (t.matches(".pp-unit-ref")) t.classList.toggle("is-new", t.value.indexOf("new:") === 0);
  });

  function count() {
    ["target", "task"].forEach(function (what) {
      var list = document.getElementById(what + "s-list");
      var n = list.querySelectorAll("[data-row]:not(.is-removed)").length;
      var out = form.querySelector('[data-count="' + what + 's"]');
      if (out) out.textContent = n;
    });
  }

  function nextIndex(letter) {
    var max = -1;
    form.querySelectorAll('[id^="' + letter + '-"][data-row]').forEach(function (row) {
      var n = parseInt(row.id.slice(2), 10);
      if (n > max) max = n;
    });
    return max + 1;
  }

  function fromTemplate(id, replacements) {
    var html = document.getElementById(id).innerHTML;
    Object.keys(replacements).forEach(function (key) { html = html.split(key).join(replacements[key]); });
    var box = document.createElement("div");
    box.innerHTML = html.trim();
    return box.firstElementChild;
  }

  form.addEventListener("click", function (ev) {
    var add = ev.target.closest("[data-add-row]");
    if (add) {
      ev.preventDefault();
      var what = add.dataset.addRow, letter = what === "target" ? "t" : "k";
      var i = nextIndex(letter);
      var row = fromTemplate("tpl-" + what, { "__i__": String(i), "__p__": letter + "-" + i });
      var list = document.getElementById(what + "s-list");
      var empty = list.querySelector("[data-empty]");
      if (empty) empty.remove();
      row.querySelector(".pp-row-no").textContent = list.querySelectorAll("[data-row]").length + 1;
      list.appendChild(row);
      count();
      var first = row.querySelector("textarea, select");
      row.scrollIntoView({ block: "center", behavior: "smooth" });
      if (first) first.focus({ preventScroll: true });
      return;
    }
    var addUnit = ev.target.closest("[data-add-unit]");
    if (addUnit) {
      ev.preventDefault();
      var prefix = addUnit.dataset.addUnit, unitList = addUnit.closest(".pp-units").querySelector("[data-unit-list]");
      var j = 0;
      unitList.querySelectorAll(".pp-unit-ref").forEach(function (sel) {
        var m = /-u-(\d+)-ref$/.exec(sel.name);
        if (m && +m[1] >= j) j = +m[1] + 1;
      });
      var unit = fromTemplate("tpl-unit-" + addUnit.dataset.roles, { "__p__": prefix, "__j__": String(j) });
      unitList.appendChild(unit);
      unit.querySelector("select").focus();
      return;
    }
    var removeUnit = ev.target.closest("[data-remove-unit]");
    if (removeUnit) {
      var u = removeUnit.closest("[data-unit]");
      var next = u.nextElementSibling || u.previousElementSibling;
      u.remove();
      if (next) { var s = next.querySelector("select"); if (s) s.focus(); }
      return;
    }
    var confirmBtn = ev.target.closest("[data-confirm]");
    if (confirmBtn && !window.confirm(confirmBtn.dataset.confirm)) ev.preventDefault();
  });

  form.addEventListener("submit", function (ev) {
    var submitter = ev.submitter;
    if (submitter && submitter.id === "create-plan") {
      submitter.disabled = true;
      submitter.textContent = "Đang tạo kế hoạch…";
      // A disabled button is not sent: keep its action.
      var hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = "action"; hidden.value = "create";
      form.appendChild(hidden);
    }
  });
  window.addEventListener("pageshow", function () {
    var btn = document.getElementById("create-plan");
    if (btn) { btn.disabled = false; btn.textContent = "Tạo kế hoạch"; }
  });

  // The list of problems leads to the field (or row) each one belongs to.
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest("#problems a[href^='#']");
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    ev.preventDefault();
    target.scrollIntoView({ block: "center", behavior: "smooth" });
    if (target.matches("input, select, textarea")) {
      target.focus({ preventScroll: true });
      showFor(target);
    }
  });

  var focus = form.dataset.focus && document.getElementById(form.dataset.focus);
  var problems = document.getElementById("problems");
  if (problems) problems.focus();
  else if (focus) focus.scrollIntoView({ block: "center" });
})();
