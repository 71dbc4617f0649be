// A budget vote's ballot: what the marked projects cost and what is left of the budget,
// counted as the voter marks them. Without JavaScript the «Посчитать остаток» button asks
// the server the same (the page works either way).
(function () {
  "use strict";
  const form = document.querySelector("form[data-vote-budget]");
  if (!form) return;
  const budget = parseFloat(form.dataset.voteBudget);
  const status = form.querySelector("[data-budget-status]");
  const check = form.querySelector("[data-budget-check]");
  if (!status || isNaN(budget)) return;
  const money = new Intl.NumberFormat(document.documentElement.lang || "ru", { maximumFractionDigits: 2 });
  function update() {
    let spent = 0;
    form.querySelectorAll("input[data-cost]:checked").forEach(function (box) {
      spent += parseFloat(box.dataset.cost);
    });
    const left = budget - spent;
    status.textContent = (left < 0 ? status.dataset.over : status.dataset.left)
      .replace("{spent}", money.format(spent))
      .replace("{left}", money.format(Math.abs(left)));
    status.classList.toggle("text-danger", left < 0);
  }
  if (check) check.hidden = true;
  form.addEventListener("change", update);
  update();
})();
