
(function () {
  "use strict";
  var table = document.getElementById("inventory");
  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  var each = function (list, f) { Array.prototype.forEach.call(list, f); };
  function key(cell) {
    var k = cell.getAttribute("data-sort");
    return k !== null ? k : cell.textContent.trim();
  }
  each(heads, function (th, col) {
    th.querySelector("button").addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      each(heads, function (h) { h.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows).map(function (row, i) {
        return { row: row, key: key(row.cells[col]), index: i };
      });
      rows.sort(function (a, b) {
        if (a.key === "" || b.key === "") {
          if (a.key !== b.key) { return a.key === "" ? 1 : -1; }
          return a.index - b.index;
        }
        var c = a.key.localeCompare(b.key, undefined, { numeric: true, sensitivity: "base" });
        return (ascending ? c : -c) || a.index - b.index;
      });
      rows.forEach(function (r) { body.appendChild(r.row); });
    });
  });
  var filters = ["status", "owner", "system"].map(function (name) {
    return { name: name, select: document.getElementById("filter-" + name) };
  });
  var shown = document.getElementById("shown");
  function filter() {
    var n = 0;
    each(body.rows, function (row) {
      var keep = filters.every(function (f) {
        return f.select.value === "" || row.getAttribute("data-" + f.name) === f.select.value;
      });
      row.hidden = !keep;
      if (keep) { n += 1; }
    });
    shown.textContent = n + " of " + body.rows.length + " accounts shown";
  }
  filters.forEach(function (f) { f.select.addEventListener("change", filter); });
  document.getElementById("filters").addEventListener("reset", function () { setTimeout(filter, 0); });
  each(body.querySelectorAll(".clamp"), function (p) {
    function toggle() { p.classList.toggle("open"); p.setAttribute("aria-expanded", p.classList.contains("open")); }
    p.addEventListener("click", toggle);
    p.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); toggle(); }
    });
  });
  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = Array.prototype.filter.call(body.querySelectorAll("details"), function (d) { return !d.open; });
    closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; });
  });
})();
