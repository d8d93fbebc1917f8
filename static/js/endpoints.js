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

// The engine choice shows that engine's settings only (all of them are sent, the server reads the chosen
// engine's). The task picks its usual engine until the engine is chosen by hand.
function showEngineSettings(form) {
  const chosen = form.querySelector("input[name=engine]:checked");
  const variant = chosen ? chosen.value : "";
  form.querySelectorAll("[data-engine-settings]").forEach((section) => {
    section.hidden = section.dataset.engineSettings !== variant;
  });
  form.querySelectorAll("[data-container-fields]").forEach((part) => {
    part.hidden = variant === "huggingface";
  });
}

function wireEngineChoice() {
  const form = document.getElementById("endpoint-form");
  if (!form || form.dataset.engineWired || !form.querySelector("input[name=engine]")) {
    return;  // no form, already wired, or the update form (the endpoint's own engine, shown as it is)
  }
  form.dataset.engineWired = "true";
  let chosenByHand = false;
  form.addEventListener("change", (event) => {
    if (event.target.name === "engine") {
      chosenByHand = true;
    } else if (event.target.name === "task" && !chosenByHand) {
      const byTask = JSON.parse(event.target.dataset.engineByTask || "{}");
      const radio = form.querySelector(`input[name=engine][value="${byTask[event.target.value] || "huggingface"}"]`);
      if (radio) {
        radio.checked = true;
      }
    }
    showEngineSettings(form);
  });
  showEngineSettings(form);
}

document.addEventListener("DOMContentLoaded", wireEngineChoice);
document.addEventListener("htmx:afterSwap", wireEngineChoice);  // a refused create re-renders the form
