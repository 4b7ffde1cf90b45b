// A few lines on top of pages that work without them: each citation is checked as it is typed
// (the same check as `legalbot kb check`, through /api/citation), citation rows can be added,
// and the training page follows the retraining's progress.
"use strict";

function debounce(fn, ms) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

function showCheck(row, check) {
  const box = row.querySelector(".citation-result");
  box.className = "citation-result " + (check.ok ? "ok" : "bad");
  box.textContent = "";
  for (const [key, tag] of [["message", "strong"], ["suggestion", "em"]]) {
    if (check[key]) { const el = document.createElement(tag); el.textContent = check[key] + " "; box.append(el); }
  }
  if (check.text) { const el = document.createElement("span"); el.textContent = check.heading + " " + check.text; box.append(el); }
}

function watchRow(row) {
  const field = (name) => row.querySelector(`[name=${name}]`).value;
  const check = debounce(async () => {
    if (!field("law").trim()) { row.querySelector(".citation-result").textContent = ""; return; }
    const query = new URLSearchParams({ law: field("law"), article: field("article"), quote: field("quote") });
    const response = await fetch("/api/citation?" + query, { credentials: "same-origin" });
    if (response.ok) showCheck(row, await response.json());
  }, 300);
  row.addEventListener("input", check);
  row.addEventListener("change", check);
}

function citations() {
  const fieldset = document.getElementById("citations");
  if (!fieldset) return;
  fieldset.querySelectorAll(".citation-row").forEach(watchRow);
  const add = document.getElementById("add-citation");
  add.hidden = false;
  add.addEventListener("click", () => {
    const rows = fieldset.querySelectorAll(".citation-row");
    const row = rows[rows.length - 1].cloneNode(true);
    row.querySelectorAll("input").forEach((input) => { input.value = ""; });
    row.querySelector(".citation-result").textContent = "";
    add.before(row);
    watchRow(row);
  });
}

function training() {
  const box = document.getElementById("training-status");
  if (!box) return;
  const poll = async () => {
    const response = await fetch(box.dataset.api, { credentials: "same-origin" });
    if (!response.ok) return;
    const p = await response.json();
    const progress = box.querySelector("progress");
    if (progress) progress.value = p.elapsed;
    const line = box.querySelector(".log-line");
    if (line) line.textContent = p.last_line;
    if (p.status === "running") setTimeout(poll, 3000);
    else if (progress) location.reload();
  };
  poll();
}

document.addEventListener("DOMContentLoaded", () => { citations(); training(); });
