// The endpoint form posts with htmx and the answer goes beside it, so what was typed stays in place. The
// errors of a refused attempt are cleared when the form is sent again (a new refusal re-renders them).
"use strict";

document.addEventListener("htmx:beforeRequest", (event) => {
  const form = event.detail.elt;
  if (form.id !== "endpoint-form") {
    return;  // the namespace and repository fields load parts of the form: nothing to clear then
  }
  form.querySelectorAll(".field .error, .form-errors").forEach((node) => node.remove());
  form.querySelectorAll(".has-error").forEach((node) => node.classList.remove("has-error"));
});
