// The data entry grid: Excel-like keys, pasting a block copied from Excel, autosave with
// optimistic concurrency. Plain JS loaded with <script src> (the CSP forbids inline scripts);
// the page passes its data in a <script type="application/json"> element and data-* attributes.
(() => {
  "use strict";

  const root = document.getElementById("entry-grid");
  const configElement = document.getElementById("entry-config");
  if (!root || !configElement) return;
  const config = JSON.parse(configElement.textContent);
  const t = config.i18n;
  const DEBOUNCE_MS = 800;

  const fill = (template, ...values) => values.reduce((text, value) => text.replace("%s", value), template);

  // --- Vietnamese writing of numbers (the mirror of display() in views/entry.py) -------------

  function formatNumber(text, type, forInput) {
    if (text === undefined || text === null || text === "") return "";
    if (type === "text" || !/^-?\d+(\.\d+)?$/.test(text)) return text;
    const negative = text.startsWith("-");
    const [whole, fraction] = (negative ? text.slice(1) : text).split(".");
    const fractionPart = fraction ? "," + fraction : "";
    const sign = negative ? "-" : "";
    if (forInput && type !== "integer") return sign + whole + fractionPart;
    return sign + whole.replace(/\B(?=(\d{3})+(?!\d))/g, ".") + fractionPart;
  }

  // --- the cells -------------------------------------------------------------------------------

  const inputs = Array.from(root.querySelectorAll("input.cell-input"));
  const inputAt = new Map(); // "r,c" -> input
  const cellByKey = new Map(); // "row:col" -> <td>
  for (const td of root.querySelectorAll("td.cell")) cellByKey.set(td.dataset.key, td);
  for (const input of inputs) inputAt.set(`${input.dataset.r},${input.dataset.c}`, input);
  const rowCount = Math.max(-1, ...Array.from(cellByKey.values(), (td) => Number(td.dataset.r))) + 1;
  const colCount = Math.max(-1, ...Array.from(cellByKey.values(), (td) => Number(td.dataset.c))) + 1;

  const position = (input) => [Number(input.dataset.r), Number(input.dataset.c)];
  const tdOf = (input) => input.closest("td");

  function focusCell(input) {
    if (!input) return false;
    input.focus();
    input.select();
    reveal(input);
    return true;
  }

  // The sticky header and row labels cover the edges of the scrolling area: bring the focused
  // cell fully into the visible part (scroll-padding does it in most browsers; this makes sure).
  const scroller = root.querySelector(".entry-scroll");
  function reveal(input) {
    if (!scroller) return;
    const cell = tdOf(input).getBoundingClientRect();
    const label = scroller.querySelector("tbody th.row-head");
    const header = scroller.querySelector("thead");
    const box = scroller.getBoundingClientRect();
    const left = label ? label.getBoundingClientRect().right : box.left;
    const top = header ? header.getBoundingClientRect().bottom : box.top;
    if (cell.left < left) scroller.scrollLeft -= left - cell.left;
    else if (cell.right > box.right) scroller.scrollLeft += cell.right - box.right;
    if (cell.top < top) scroller.scrollTop -= top - cell.top;
    else if (cell.bottom > box.bottom) scroller.scrollTop += cell.bottom - box.bottom;
  }

  // The next input cell from (r, c) going (dr, dc), skipping computed cells; null at the edge.
  function step(r, c, dr, dc) {
    for (let i = r + dr, j = c + dc; i >= 0 && i < rowCount && j >= 0 && j < colCount; i += dr, j += dc) {
      const found = inputAt.get(`${i},${j}`);
      if (found) return found;
    }
    return null;
  }

  // Enter goes down the column like Excel; at the bottom, to the next input cell in reading order.
  function below(input, up) {
    const [r, c] = position(input);
    const index = inputs.indexOf(input);
    return step(r, c, up ? -1 : 1, 0) || inputs[index + (up ? -1 : 1)] || null;
  }

  // --- state of the edits ----------------------------------------------------------------------

  let revision = config.revision;
  const pending = new Map(); // key -> text typed and not yet saved
  const invalid = new Map(); // key -> message of a value the server refused
  let timer = null;
  let inFlight = false;
  let stopped = false; // a conflict or a refusal waits for the user
  let conflict = null;

  const status = document.getElementById("entry-status");
  const errorList = document.getElementById("entry-cell-errors");

  function setStatus(text, kind) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("text-danger", kind === "error");
    status.classList.toggle("text-success", kind === "saved");
    status.classList.toggle("text-muted", kind !== "error" && kind !== "saved");
  }

  function markDirty(input) {
    const key = input.dataset.key;
    pending.set(key, input.value);
    tdOf(input).classList.add("cell-dirty");
    if (invalid.delete(key)) showInvalid();
    if (!inFlight && !stopped) setStatus(t.unsaved, "pending");
  }

  function showInvalid() {
    for (const [key, td] of cellByKey) {
      const message = invalid.get(key);
      td.classList.toggle("cell-invalid", Boolean(message));
      const input = td.querySelector("input.cell-input");
      if (input) {
        if (message) {
          input.setAttribute("aria-invalid", "true");
          input.title = message;
        } else {
          input.removeAttribute("aria-invalid");
          input.removeAttribute("title");
        }
      }
    }
    if (errorList) {
      errorList.replaceChildren(
        ...Array.from(invalid.values(), (message) => {
          const li = document.createElement("li");
          li.textContent = message;
          return li;
        }),
      );
    }
  }

  // --- applying what the server says -----------------------------------------------------------

  function apply(data) {
    const values = data.values || {};
    const totals = data.consolidated || {};
    for (const [key, td] of cellByKey) {
      const type = td.dataset.type;
      const input = td.querySelector("input.cell-input");
      if (input) {
        if (!pending.has(key) && !invalid.has(key) && input !== document.activeElement) {
          input.value = formatNumber(values[key], type, true);
        }
      } else {
        const shown = td.querySelector(".cell-value");
        if (shown) shown.textContent = formatNumber(values[key], type, false);
      }
      const total = td.querySelector(".cell-total");
      if (total) total.textContent = formatNumber(totals[key], type, false);
    }
    if (data.problems) renderProblems(data.problems);
    if (data.changes) renderChanges(data.changes);
  }

  function renderProblems(problems) {
    const list = document.getElementById("entry-problems");
    if (!list) return;
    const items = problems.map((problem) => {
      const li = document.createElement("li");
      li.className = `list-group-item problem-${problem.severity}`;
      const badge = document.createElement("span");
      badge.className = `badge ${problem.blocking ? "text-bg-danger" : "text-bg-warning"}`;
      badge.textContent = problem.blocking ? t.blocking : t.warning;
      const code = document.createElement("span");
      // The rule's wording first; its code only as a small secondary label.
      code.className = "badge text-bg-light fw-normal rule-code";
      code.title = t.ruleCode;
      code.textContent = problem.code;
      li.append(badge, " ", problem.message, " ", code);
      return li;
    });
    if (!items.length) {
      const li = document.createElement("li");
      li.className = "list-group-item text-success";
      li.textContent = t.noProblems;
      items.push(li);
    }
    list.replaceChildren(...items);
  }

  function renderChanges(changes) {
    const body = document.getElementById("entry-changes");
    const changed = new Map(changes.map((change) => [change.cell, change]));
    for (const [key, td] of cellByKey) {
      const change = changed.get(key);
      td.classList.toggle("cell-changed", Boolean(change));
      if (change) td.title = fill(t.whenApproved, change.then || "—", change.now || "—");
      else td.removeAttribute("title");
    }
    if (!body) return;
    const rows = changes.map((change) => {
      const tr = document.createElement("tr");
      const cells = [change.name, change.then || "—", change.now || "—"].map((text, i) => {
        const td = document.createElement("td");
        td.textContent = text;
        if (i > 0) td.className = i === 2 ? "text-end fw-semibold" : "text-end";
        return td;
      });
      tr.append(...cells);
      return tr;
    });
    if (!rows.length) {
      const tr = document.createElement("tr");
      const td = document.createElement("td");
      td.colSpan = 3;
      td.className = "text-muted";
      td.textContent = t.noChanges;
      tr.append(td);
      rows.push(tr);
    }
    body.replaceChildren(...rows);
  }

  // --- saving ----------------------------------------------------------------------------------

  function schedule(delay = DEBOUNCE_MS) {
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  async function save() {
    clearTimeout(timer);
    timer = null;
    if (stopped || inFlight) return;
    const batch = new Map(Array.from(pending).filter(([key]) => !invalid.has(key)));
    if (!batch.size) return;
    inFlight = true;
    setStatus(t.saving, "saving");
    let response = null;
    let data = null;
    try {
      response = await fetch(config.saveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": root.dataset.csrf,
        },
        body: JSON.stringify({ revision, cells: Object.fromEntries(batch) }),
      });
      const type = response.headers.get("Content-Type") || "";
      data = type.includes("application/json") ? await response.json() : null;
    } catch (error) {
      inFlight = false;
      setStatus(fill(t.error, t.network), "error");
      schedule(5000);
      return;
    }
    inFlight = false;
    if (!data) {
      // A redirect to the sign-in page: the session ended.
      stopped = true;
      setStatus(fill(t.error, t.session), "error");
      return;
    }
    if (response.ok) {
      revision = data.revision;
      for (const [key, text] of batch) {
        if (pending.get(key) === text) {
          pending.delete(key);
          const td = cellByKey.get(key);
          if (td) td.classList.remove("cell-dirty", "cell-theirs");
        }
      }
      apply(data);
      const saved = fill(t.savedAt, data.saved_at);
      if (invalid.size) setStatus(`${saved} — ${fill(t.invalidLeft, invalid.size)}`, "error");
      else setStatus(saved, "saved");
    } else if (response.status === 409 && data.code === "stale_revision") {
      showConflict(data);
      return;
    } else if (response.status === 400 && data.code === "bad_value" && data.cells) {
      for (const [key, message] of Object.entries(data.cells)) invalid.set(key, message);
      showInvalid();
      setStatus(fill(t.error, data.error), "error");
    } else {
      setStatus(fill(t.error, data.error || response.statusText), "error");
      if (response.status === 403 || data.code === "period_locked" || data.code === "not_editable") {
        stopped = true;
        for (const input of inputs) input.readOnly = true;
        return;
      }
    }
    // Typed while the request was out: save those too.
    if (Array.from(pending.keys()).some((key) => !invalid.has(key))) schedule(response.ok ? 0 : DEBOUNCE_MS);
  }

  // --- someone else saved first ------------------------------------------------------------------

  const conflictBox = document.getElementById("entry-conflict");

  function showConflict(data) {
    stopped = true;
    conflict = data;
    const theirs = data.theirs || {};
    for (const [key, text] of Object.entries(theirs)) {
      const td = cellByKey.get(key);
      if (!td) continue;
      td.classList.add("cell-theirs");
      const note = fill(t.theirs, formatNumber(text, td.dataset.type, false) || "—");
      td.title = pending.has(key) ? `${note} (${t.mine})` : note;
    }
    if (conflictBox) {
      conflictBox.querySelector(".conflict-message").textContent = data.error;
      conflictBox.querySelector(".conflict-cells").replaceChildren(
        ...Object.entries(theirs).map(([key, text]) => {
          const li = document.createElement("li");
          const td = cellByKey.get(key);
          const shown = formatNumber(text, td ? td.dataset.type : "text", false) || "—";
          li.textContent = `${(data.names || {})[key] || key}: ${shown}${pending.has(key) ? ` (${t.mine})` : ""}`;
          return li;
        }),
      );
      conflictBox.classList.remove("d-none");
      conflictBox.querySelector("[data-entry-action=merge]").focus();
    }
    setStatus(fill(t.error, data.error), "error");
  }

  function merge() {
    if (!conflict) return;
    const latest = conflict;
    revision = latest.revision;
    apply(latest); // cells the user did not touch take the other person's figures
    conflict = null;
    stopped = false;
    if (conflictBox) conflictBox.classList.add("d-none");
    if (pending.size) save();
    else setStatus(fill(t.savedAt, latest.saved_at), "saved");
  }

  if (conflictBox) {
    conflictBox.addEventListener("click", (event) => {
      const button = event.target.closest("[data-entry-action]");
      if (!button) return;
      if (button.dataset.entryAction === "merge") merge();
      else {
        pending.clear();
        window.location.reload();
      }
    });
  }

  // --- keys like Excel -------------------------------------------------------------------------

  root.addEventListener("focusin", (event) => {
    const input = event.target.closest("input.cell-input");
    if (!input) return;
    input.dataset.original = input.value;
    input.select();
    reveal(input); // Tab moves focus without focusCell: reveal here too
  });

  root.addEventListener("input", (event) => {
    const input = event.target.closest("input.cell-input");
    if (!input) return;
    markDirty(input);
    schedule();
  });

  // Leaving the grid saves at once; moving between cells keeps the debounce.
  root.addEventListener("focusout", (event) => {
    const input = event.target.closest("input.cell-input");
    if (!input) return;
    const next = event.relatedTarget;
    if (!(next && next.closest && next.closest("input.cell-input") && root.contains(next)) && pending.size) save();
  });

  root.addEventListener("keydown", (event) => {
    const input = event.target.closest("input.cell-input");
    if (!input || event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
    const [r, c] = position(input);
    const atStart = input.selectionStart === 0 && (input.selectionEnd === 0 || input.selectionEnd === input.value.length);
    const atEnd = input.selectionEnd === input.value.length;
    let target = null;
    switch (event.key) {
      case "ArrowUp":
        target = step(r, c, -1, 0);
        break;
      case "ArrowDown":
        target = step(r, c, 1, 0);
        break;
      case "ArrowLeft":
        if (!atStart) return;
        target = step(r, c, 0, -1);
        break;
      case "ArrowRight":
        if (!atEnd) return;
        target = step(r, c, 0, 1);
        break;
      case "Enter":
        target = below(input, event.shiftKey);
        break;
      case "Tab":
        target = inputs[inputs.indexOf(input) + (event.shiftKey ? -1 : 1)];
        if (!target) return; // past the last cell: leave the grid as usual
        break;
      case "Escape":
        if (input.dataset.original !== undefined && input.value !== input.dataset.original) {
          input.value = input.dataset.original;
          markDirty(input);
          schedule();
        }
        input.select();
        event.preventDefault();
        return;
      default:
        return;
    }
    event.preventDefault();
    focusCell(target);
  });

  // --- pasting a block copied from Excel -----------------------------------------------------------

  root.addEventListener("paste", (event) => {
    const input = event.target.closest("input.cell-input");
    if (!input || !event.clipboardData) return;
    const text = event.clipboardData.getData("text/plain");
    if (!/[\t\r\n]/.test(text)) return; // one value: the browser pastes it into the cell
    event.preventDefault();
    const lines = text.replace(/\r\n?/g, "\n").split("\n");
    if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop(); // Excel ends the block with a newline
    const [r0, c0] = position(input);
    let filled = 0;
    lines.forEach((line, i) => {
      line.split("\t").forEach((value, j) => {
        // The block lands where it was in Excel: a value over a computed cell is dropped.
        const target = inputAt.get(`${r0 + i},${c0 + j}`);
        if (!target || target.readOnly) return;
        target.value = value.trim();
        markDirty(target);
        filled += 1;
      });
    });
    input.select();
    setStatus(fill(t.pasted, filled), "pending");
    schedule(0);
  });

  window.addEventListener("beforeunload", (event) => {
    if (pending.size || inFlight) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
