// The upload form: too many files in one choice are refused by the server before any view runs
// (DATA_UPLOAD_MAX_NUMBER_FILES), so say so here, before the upload starts.
(() => {
  const input = document.getElementById("i-files");
  if (!input) return;
  const limit = Number(input.dataset.maxFiles || "0");
  const button = input.form.querySelector("button[data-testid=upload]");
  input.addEventListener("change", () => {
    const tooMany = limit > 0 && input.files.length > limit;
    input.classList.toggle("is-invalid", tooMany);
    button.disabled = tooMany;
  });
})();
