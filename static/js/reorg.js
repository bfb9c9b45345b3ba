// Keyboard and screen-reader users follow a section that htmx swaps in place: into the form's
// first field when it opens for editing, back to the section's heading when it is saved.
document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  // An outerHTML swap replaces the target element: look the new one up by its id.
  const swapped = target && target.id ? document.getElementById(target.id) : null;
  if (!swapped) return;
  // A status changed inline in a table row: keep the keyboard where it was, on the row's status.
  if (swapped.classList.contains("status-row")) {
    swapped.querySelector("select")?.focus();
    return;
  }
  if (!swapped.classList.contains("mandate-section")) return;
  const field =
    swapped.querySelector("[aria-invalid=true]") ||
    swapped.querySelector("form input:not([type=hidden]), form textarea, form select");
  if (field) {
    field.focus();
    return;
  }
  swapped.querySelector("h2")?.focus();
});
