// Date inputs of our own: dd/mm/yyyy whatever the browser's language (no native
// <input type="date">, whose display follows the browser's locale), with a small
// keyboard-friendly calendar. Loaded on every page; no inline script (the CSP).
//
// An input marked data-date-input="date" (or "datetime": dd/mm/yyyy hh:mm) gets a
// calendar button. In the calendar: arrows move by day/week, PageUp/PageDown by
// month, Home/End to the week's ends, Enter or Space chooses, Escape closes.
// Alt+ArrowDown in the input opens it. Digits typed without slashes
// ("07122026") are put in shape when the input loses focus.
(function () {
  "use strict";
  // The page's language (the user's choice, not the browser's) names months and days; the date
  // itself is dd/mm/yyyy in both.
  const english = (document.documentElement.lang || "vi").startsWith("en");
  const MONTHS = english
    ? ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
      "November", "December"]
    : Array.from({ length: 12 }, (_, i) => `Tháng ${i + 1}`);
  const DAYS = english ? ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"] : ["T2", "T3", "T4", "T5", "T6", "T7", "CN"];
  const DAY_NAMES = english
    ? ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    : ["Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật"];
  const TEXT = english
    ? { prev: "Previous month", next: "Next month", dialog: "Choose a date", open: "Open the calendar" }
    : { prev: "Tháng trước", next: "Tháng sau", dialog: "Chọn ngày", open: "Mở lịch chọn ngày" };
  const pad = (n) => String(n).padStart(2, "0");
  const show = (d) => `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()}`;

  function parse(text) {
    const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(text || "");
    if (!m) return null;
    const d = new Date(Number(m[3]), Number(m[2]) - 1, Number(m[1]));
    return d.getDate() === Number(m[1]) && d.getMonth() === Number(m[2]) - 1 ? d : null;
  }

  // "07122026" -> "07/12/2026"; "7/12/2026 9:05" -> "07/12/2026 09:05".
  function tidy(input) {
    const raw = input.value.trim();
    const digits = /^(\d{2})(\d{2})(\d{4})(?:\s*(\d{1,2}):?(\d{2}))?$/.exec(raw);
    const loose = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(raw);
    const m = digits || loose;
    if (!m) return;
    let text = `${pad(m[1])}/${pad(m[2])}/${m[3]}`;
    if (m[4] !== undefined) text += ` ${pad(m[4])}:${m[5]}`;
    input.value = text;
  }

  let open = null; // {input, panel, button, shown: Date (first of month), focus: Date}

  function close(returnFocus) {
    if (!open) return;
    const { panel, button } = open;
    panel.remove();
    button.setAttribute("aria-expanded", "false");
    open = null;
    if (returnFocus) button.focus();
  }

  function choose(day) {
    const { input } = open;
    let text = show(day);
    if (input.dataset.dateInput === "datetime") {
      const time = /\s(\d{1,2}:\d{2})\s*$/.exec(input.value);
      text += ` ${time ? time[1] : "00:00"}`;
    }
    input.value = text;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
    close(false);
    input.focus();
  }

  function render() {
    const { panel, focus } = open;
    const first = new Date(focus.getFullYear(), focus.getMonth(), 1);
    const selected = parse(open.input.value);
    const today = new Date();
    panel.textContent = "";
    const head = document.createElement("div");
    head.className = "date-picker-head";
    const prev = button("‹", TEXT.prev, () => move(-1, "month"));
    const next = button("›", TEXT.next, () => move(1, "month"));
    const title = document.createElement("span");
    title.className = "date-picker-title";
    title.id = `${panel.id}-title`;
    title.setAttribute("aria-live", "polite");
    title.textContent = `${MONTHS[focus.getMonth()]} ${focus.getFullYear()}`;
    head.append(prev, title, next);
    const table = document.createElement("table");
    table.setAttribute("role", "grid");
    table.setAttribute("aria-labelledby", title.id);
    const thead = table.createTHead().insertRow();
    DAYS.forEach((d, i) => {
      const th = document.createElement("th");
      th.scope = "col";
      th.abbr = DAY_NAMES[i];
      th.textContent = d;
      thead.append(th);
    });
    const body = table.createTBody();
    const offset = (first.getDay() + 6) % 7; // weeks start on Monday
    let day = new Date(first.getFullYear(), first.getMonth(), 1 - offset);
    for (let w = 0; w < 6; w++) {
      const row = body.insertRow();
      for (let i = 0; i < 7; i++) {
        const cell = row.insertCell();
        const b = document.createElement("button");
        b.type = "button";
        b.textContent = day.getDate();
        b.dataset.day = show(day);
        b.setAttribute("aria-label", `${DAY_NAMES[i]}, ${show(day)}`);
        b.tabIndex = same(day, focus) ? 0 : -1;
        if (day.getMonth() !== focus.getMonth()) b.classList.add("other-month");
        if (same(day, today)) b.classList.add("today");
        if (selected && same(day, selected)) {
          b.classList.add("selected");
          b.setAttribute("aria-selected", "true");
        }
        const chosen = new Date(day);
        b.addEventListener("click", () => choose(chosen));
        cell.append(b);
        day = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1);
      }
    }
    panel.append(head, table);
    const active = panel.querySelector('button[tabindex="0"]');
    if (active) active.focus();
  }

  function button(text, label, action) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-sm btn-light";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    b.addEventListener("click", action);
    return b;
  }

  const same = (a, b) =>
    a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

  function move(n, unit) {
    const f = open.focus;
    if (unit === "month") {
      const target = new Date(f.getFullYear(), f.getMonth() + n, 1);
      const last = new Date(target.getFullYear(), target.getMonth() + 1, 0).getDate();
      open.focus = new Date(target.getFullYear(), target.getMonth(), Math.min(f.getDate(), last));
    } else {
      open.focus = new Date(f.getFullYear(), f.getMonth(), f.getDate() + n);
    }
    render();
  }

  function keydown(event) {
    if (!open) return;
    const keys = {
      ArrowLeft: [-1, "day"], ArrowRight: [1, "day"], ArrowUp: [-7, "day"], ArrowDown: [7, "day"],
      PageUp: [-1, "month"], PageDown: [1, "month"],
    };
    if (event.key === "Escape") {
      event.preventDefault();
      close(true);
    } else if (keys[event.key] && event.target.dataset.day) {
      event.preventDefault();
      move(...keys[event.key]);
    } else if ((event.key === "Home" || event.key === "End") && event.target.dataset.day) {
      event.preventDefault();
      const weekday = (open.focus.getDay() + 6) % 7;
      move(event.key === "Home" ? -weekday : 6 - weekday, "day");
    } else if (event.key === "Tab") {
      close(false); // leave the calendar like any other popup
    }
  }

  function toggle(input, trigger) {
    if (open && open.input === input) return close(true);
    close(false);
    const panel = document.createElement("div");
    panel.className = "date-picker shadow";
    panel.id = `${input.id || "date"}-calendar`;
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", TEXT.dialog);
    panel.addEventListener("keydown", keydown);
    trigger.setAttribute("aria-expanded", "true");
    trigger.parentElement.append(panel);
    open = { input, panel, button: trigger, focus: parse(input.value) || new Date() };
    render();
  }

  function enhance(root) {
    root.querySelectorAll("input[data-date-input]:not([data-date-ready])").forEach((input) => {
      input.dataset.dateReady = "1";
      const wrap = document.createElement("div");
      wrap.className = "date-input-wrap input-group";
      if (input.classList.contains("form-control-sm")) wrap.classList.add("input-group-sm");
      input.parentNode.insertBefore(wrap, input);
      wrap.append(input);
      const trigger = document.createElement("button");
      trigger.type = "button";
      trigger.className = "btn btn-outline-secondary date-input-button";
      trigger.setAttribute("aria-haspopup", "dialog");
      trigger.setAttribute("aria-expanded", "false");
      // Not the field's own name: the input keeps its label to itself (get_by_label, screen readers);
      // the button sits right after it in the same group.
      trigger.setAttribute("aria-label", TEXT.open);
      trigger.setAttribute("aria-controls", `${input.id || "date"}-calendar`);
      trigger.innerHTML = '<i class="bi bi-calendar3" aria-hidden="true"></i>';
      trigger.addEventListener("click", () => toggle(input, trigger));
      wrap.append(trigger);
      input.addEventListener("blur", () => tidy(input));
      input.addEventListener("keydown", (event) => {
        if (event.altKey && event.key === "ArrowDown") {
          event.preventDefault();
          toggle(input, trigger);
        }
      });
    });
  }

  document.addEventListener("mousedown", (event) => {
    if (open && !open.panel.contains(event.target) && !open.button.contains(event.target)) close(false);
  });
  document.addEventListener("DOMContentLoaded", () => enhance(document));
  document.addEventListener("htmx:load", (event) => enhance(event.target));
  // A form submitted with the keyboard before the input lost focus still sends a tidy value.
  document.addEventListener("submit", (event) => {
    event.target.querySelectorAll("input[data-date-input]").forEach(tidy);
  }, true);
})();
