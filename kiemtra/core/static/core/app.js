// Small behaviours shared by every page (no inline scripts: the CSP forbids them).

// htmx injects a <style> for its request indicators on DOMContentLoaded, which the
// CSP (style-src 'self') blocks and reports on every page. This deferred script runs
// after htmx's and before DOMContentLoaded, so the injection is switched off here;
// the same rules live in app.css.
if (window.htmx) window.htmx.config.includeIndicatorStyles = false;

document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form) form.submit();
});
document.addEventListener("submit", (event) => {
  const message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) event.preventDefault();
});

// A refused change during an htmx request (DomainErrorMiddleware: 400 + HX-Trigger "domain-error"):
// htmx does not swap a 4xx body, so the message is shown at the top of the page here.
document.addEventListener("domain-error", (event) => {
  const main = document.getElementById("main");
  if (!main || !event.detail || !event.detail.message) return;
  const alert = document.createElement("div");
  alert.className = "alert alert-danger";
  alert.setAttribute("role", "alert");
  alert.dataset.code = event.detail.code || "";
  alert.textContent = event.detail.message;
  main.prepend(alert);
});
