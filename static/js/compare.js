// A comparison's page: each pending column asks its endpoint through the playground's answer route (one
// stream per column, at the same time), a paused one after "Resume and wait"; when an answer ends, the
// column is fetched again as saved (figures and cost). No inline scripts: the CSP forbids them.
"use strict";

(() => {
  const grid = document.getElementById("comparison");
  if (!grid) {
    return;
  }
  const csrfToken = grid.querySelector("input[name=csrfmiddlewaretoken]").value;
  const blind = grid.dataset.blind === "true";

  function endpointUrl(template, id) {
    return template.replace(/\/0\//, `/${id}/`);
  }

  function say(column, text) {
    column.querySelector(".answer-stats").textContent = text;
  }

  function post(url, body, signal) {
    return window.postForEvents(url, body, csrfToken, signal);
  }

  async function refresh(column) {
    const response = await fetch(column.dataset.columnUrl);
    if (response.ok) {
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html").body.firstElementChild;
      column.replaceWith(fresh);
    }
    if (!grid.querySelector("[data-pending=true]")) {
      window.location.reload(); // every answer is in: the vote opens
    }
  }

  async function resumeAndWait(column) {
    const id = column.dataset.endpoint;
    say(column, "Resuming…");
    const response = await post(endpointUrl(grid.dataset.resumeUrl, id), new FormData());
    if (!response.ok) {
      const refusal = await response.json().catch(() => ({}));
      throw new Error(refusal.message || "The endpoint could not be resumed.");
    }
    for (let seconds = 0; ; seconds += 1) {
      const state = await (await fetch(endpointUrl(grid.dataset.stateUrl, id))).json();
      if (state.status === "running") {
        return;
      }
      if (state.operation && state.operation.state === "failed") {
        throw new Error(state.operation.error || "The endpoint did not start.");
      }
      say(column, `Waiting: ${state.status_label.toLowerCase()} (${seconds} s)…`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  async function ask(column) {
    const text = column.querySelector(".bubble");
    const stop = column.querySelector(".stop-column");
    const controller = new AbortController();
    stop.disabled = false;
    stop.addEventListener("click", () => controller.abort(), { once: true });
    say(column, "Asking…");
    try {
      const body = new FormData(column.querySelector("form.column-run"));
      const response = await post(grid.dataset.answerUrl, body, controller.signal);
      if (!(response.headers.get("Content-Type") || "").startsWith("text/event-stream")) {
        const refusal = await response.json().catch(() => ({}));
        say(column, refusal.message || `The request failed (HTTP ${response.status}).`);
        return;
      }
      for await (const { event, data } of window.serverSentEvents(response)) {
        if (event === "status") {
          say(column, blind ? "The endpoint is waking up…" : data.text);
        } else if (event === "token") {
          say(column, "Answering…");
          text.textContent += data.text; // text only; the saved answer comes back sanitized
        }
      }
    } catch (error) {
      say(column, error.name === "AbortError" ? "Stopped." : `Interrupted: ${error.message}`);
    } finally {
      stop.disabled = true;
    }
    await refresh(column);
  }

  async function start(column) {
    const resume = column.querySelector(".resume-column");
    if (resume) {
      say(column, "Waiting for the endpoint to be resumed.");
      resume.addEventListener("click", () => {
        resume.disabled = true;
        resumeAndWait(column)
          .then(() => ask(column))
          .catch((error) => {
            resume.disabled = false;
            say(column, error.message);
          });
      });
      return;
    }
    await ask(column);
  }

  for (const column of grid.querySelectorAll("[data-pending=true]")) {
    start(column);
  }
})();
