// Rows a person adds and removes without saving: a grant application's calendar plan,
// indicators and budget, a commission's members and amendments
// (templates/includes/rows.html). Without JavaScript the «Добавить строку» and «Удалить
// строку» buttons submit the form and the server shows one row more or fewer, keeping
// everything typed (dobry/core/rows.py). With it, a new row is copied from the group's
// <template>, rows are renumbered so the inputs stay `<prefix>-<n>-<column>` from 0, a
// formset's TOTAL_FORMS follows, the change is announced and the focus moves sensibly.
//
// A budget (data-totals) also sums its columns as the person types and compares the
// amount requested with the competition's limits.
(function () {
  "use strict";
  var FIELDS = "input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea";

  function rows(group) {
    var list = group.querySelector("[data-rows-list]");
    return Array.prototype.filter.call(list.children, function (row) {
      return row.hasAttribute("data-row");
    });
  }

  function say(group, text, number) {
    var status = group.querySelector("[data-rows-status]");
    if (!status || !text) return;
    // Emptied first, so the same text said twice is announced twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text.replace("{n}", number); }, 50);
  }

  function escaped(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  // `<prefix>-<n>` (or `<prefix>-__prefix__`, Django's empty form) in names, ids, labels'
  // `for`, aria references and the remove buttons' values becomes `<prefix>-<index>`.
  function renumber(group) {
    var prefix = group.dataset.rowsPrefix;
    var pattern = new RegExp("(^|[\\s_])" + escaped(prefix) + "-(\\d+|__prefix__)(?=-|_|$|\\s)", "g");
    var attributes = ["name", "id", "for", "aria-describedby", "aria-labelledby", "value", "href"];
    var all = rows(group);
    all.forEach(function (row, index) {
      var nodes = [row].concat(Array.prototype.slice.call(row.querySelectorAll("*")));
      nodes.forEach(function (node) {
        attributes.forEach(function (name) {
          var value = node.getAttribute(name);
          if (value === null) return;
          if (name === "value" && !node.hasAttribute("data-row-remove")) return;
          node.setAttribute(name, value.replace(pattern, "$1" + prefix + "-" + index));
        });
      });
      row.querySelectorAll("[data-row-number]").forEach(function (span) {
        span.textContent = String(index + 1);
      });
    });
    var total = group.dataset.rowsTotal && document.getElementById(group.dataset.rowsTotal);
    if (total) total.value = String(all.length);
    var add = group.querySelector("[data-row-add]");
    if (add) add.disabled = all.length >= Number(group.dataset.rowsMax || 100);
  }

  function changed(group) {
    group.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function focusIn(row, fallback) {
    var field = row && row.querySelector(FIELDS);
    (field || fallback).focus();
  }

  function add(group) {
    if (rows(group).length >= Number(group.dataset.rowsMax || 100)) return;
    var template = group.querySelector("template[data-row-template]");
    var copy = template.content.cloneNode(true);
    var row = copy.querySelector("[data-row]");
    group.querySelector("[data-rows-list]").appendChild(copy);
    renumber(group);
    say(group, group.dataset.addedText, rows(group).length);
    focusIn(row, group.querySelector("[data-row-add]"));
    changed(group);
  }

  function remove(group, row) {
    var index = rows(group).indexOf(row);
    row.parentNode.removeChild(row);
    renumber(group);
    var rest = rows(group);
    say(group, group.dataset.removedText, index + 1);
    focusIn(rest[index] || rest[index - 1], group.querySelector("[data-row-add]"));
    changed(group);
  }

  // --- budget totals -------------------------------------------------------------------

  // A sum as people type it: «12 500,50» or 12500.5; NaN when it is not a number.
  function amount(text) {
    var cleaned = String(text || "").replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
    return /^[+]?(\d+\.?\d*|\.\d+)$/.test(cleaned) ? Number(cleaned) : NaN;
  }

  function money(value) {
    var lang = document.documentElement.lang || "ru";
    return new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
      .format(value);
  }

  function column(row, name) {
    var field = row.querySelector("[name$='-" + name + "']");
    var value = field ? amount(field.value) : NaN;
    return isNaN(value) || value < 0 ? 0 : value;
  }

  function totals(group) {
    var box = document.getElementById(group.dataset.totals);
    if (!box) return;
    var sums = { cost: 0, requested: 0, cofinancing: 0 };
    rows(group).forEach(function (row) {
      sums.cost += column(row, "quantity") * column(row, "unit_cost");
      sums.requested += column(row, "requested");
      sums.cofinancing += column(row, "cofinancing");
    });
    Object.keys(sums).forEach(function (name) {
      box.querySelectorAll("[data-total='" + name + "']").forEach(function (cell) {
        cell.textContent = money(sums[name]);
      });
    });
    var verdict = box.querySelector("[data-verdict]");
    if (!verdict) return;
    var min = Number(box.dataset.min), max = Number(box.dataset.max);
    var requested = Math.round(sums.requested * 100) / 100;
    var key = requested > max ? "over" : requested < min ? "under" : "within";
    if (verdict.dataset.state === key) return; // announce a change of verdict only
    verdict.dataset.state = key;
    verdict.textContent = box.dataset[key + "Text"];
    verdict.classList.toggle("text-danger", key !== "within");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-row-add], [data-row-remove]");
    if (!button) return;
    var group = button.closest("[data-rows]");
    if (!group) return;
    event.preventDefault();
    if (button.hasAttribute("data-row-add")) add(group);
    else remove(group, button.closest("[data-row]"));
  });
  document.addEventListener("input", function (event) {
    var group = event.target.closest && event.target.closest("[data-rows][data-totals]");
    if (group) totals(group);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-rows]").forEach(function (group) {
      renumber(group);
      if (group.dataset.totals) totals(group);
    });
  });
})();
