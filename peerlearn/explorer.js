// peerlearn's evidence explorer: filters that combine and sorting by column header, over a table the page
// already shows in full. No network, no library; the codes come from the page's JSON data block.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var data = JSON.parse(document.getElementById("peerlearn-explorer-data").textContent);
  var form = document.getElementById("peerlearn-filters");
  var table = document.getElementById("peerlearn-explorer-table");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-facet]"));
  var count = document.getElementById("peerlearn-count");

  function apply() {
    var chosen = selects.filter(function (s) { return s.value !== ""; });
    var shown = 0;
    rows.forEach(function (row) {
      var codes = data.studies[row.getAttribute("data-study")] || {};
      var keep = chosen.every(function (s) {
        return (codes[s.getAttribute("data-facet")] || []).indexOf(s.value) !== -1;
      });
      row.hidden = !keep;
      if (keep) { shown += 1; }
    });
    count.textContent = data.count.replace("{shown}", shown).replace("{total}", rows.length);
  }

  selects.forEach(function (s) { s.addEventListener("change", apply); });
  document.getElementById("peerlearn-clear").addEventListener("click", function () {
    selects.forEach(function (s) { s.value = ""; });
    apply();
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });

  function key(row, i, number) {
    var text = row.cells[i].textContent.trim();
    return number ? parseFloat(text) : text;
  }

  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  headers.forEach(function (th, i) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      var number = th.getAttribute("data-type") === "number";
      headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = key(a, i, number), y = key(b, i, number);
        if (x === "" || y === "") { return (x === "") - (y === ""); }  // empty cells last either way
        var order = number ? x - y : x.localeCompare(y, data.lang, {numeric: true});
        if (order === 0) { order = key(a, 0, true) - key(b, 0, true); }
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  form.hidden = false;
  apply();
});
