// The reconciliation page: the field being checked shows its source in the document,
// Enter moves to the next field instead of publishing, and the subject type narrows
// the penalties and violation categories offered (the catalog differs for organisations).
(() => {
  const form = document.getElementById("reconcile-form");
  if (!form) return;
  let dirty = false;

  const markSource = (name, scroll) => {
    document.querySelectorAll("mark.src.active").forEach((m) => m.classList.remove("active"));
    const marks = document.querySelectorAll(`mark.src[data-field~="${CSS.escape(name)}"]`);
    marks.forEach((m) => m.classList.add("active"));
    if (scroll && marks.length) marks[0].scrollIntoView({ block: "center" });
  };

  form.addEventListener("input", () => { dirty = true; });
  form.addEventListener("change", () => { dirty = true; });

  form.addEventListener("focusin", (event) => {
    const row = event.target.closest(".field-row");
    if (row) markSource(row.dataset.field, true);
  });

  form.addEventListener("click", (event) => {
    const button = event.target.closest("button.show-source");
    if (button) markSource(button.dataset.show, true);
  });

  // Clicking the marked text in the document takes the reviewer to its field.
  document.addEventListener("click", (event) => {
    const mark = event.target.closest("mark.src");
    if (!mark) return;
    const name = mark.dataset.field.split(" ")[0];
    const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (input) input.focus();
  });

  // Enter in a one-line field moves on (a reviewer types a correction and presses Enter).
  form.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.isComposing) return;
    const target = event.target;
    if (target.tagName === "TEXTAREA" || target.tagName === "BUTTON") return;
    event.preventDefault();
    const fields = Array.from(form.querySelectorAll("input, select, textarea, button[type=submit]")).filter(
      (el) => el.type !== "hidden" && !el.disabled && el.offsetParent !== null,
    );
    const next = fields[fields.indexOf(target) + 1];
    if (next) next.focus();
  });

  const subject = form.querySelector("#f-subject_type");
  const penalty = form.querySelector("#f-penalty");
  const narrow = () => {
    form.querySelectorAll("[data-subject]").forEach((el) => {
      const off = el.dataset.subject !== "" && el.dataset.subject !== subject.value;
      el.hidden = off;
      if (el.tagName === "OPTION") el.disabled = off;
      const box = el.querySelector("input[type=checkbox]");
      if (off && box) box.checked = false;
    });
    if (penalty && penalty.selectedOptions.length && penalty.selectedOptions[0].disabled) penalty.value = "";
  };
  if (subject) subject.addEventListener("change", narrow);

  const acceptAll = form.querySelector("[data-accept-all]");
  if (acceptAll) {
    acceptAll.addEventListener("click", (event) => {
      if (dirty && !window.confirm(form.dataset.dirtyMessage)) event.preventDefault();
    });
  }
})();
