// The playground's chat: answers streamed over fetch (server-sent events), Stop, regenerate, edit and resend,
// endpoint state with "Resume and wait", image attachments. No inline scripts: the CSP forbids them.
"use strict";

(() => {
  const composer = document.getElementById("composer");
  document.addEventListener("click", copyCodeBlock);
  if (!composer) {
    return;
  }

  const messagesList = document.getElementById("chat-messages");
  const textArea = composer.querySelector("#id_text");
  const endpointSelect = composer.querySelector("#id_endpoint");
  const sendButton = document.getElementById("send-button");
  const stopButton = document.getElementById("stop-button");
  const regenerateButton = document.getElementById("regenerate-button");
  const statusLine = document.getElementById("composer-status");
  const errorBox = document.getElementById("composer-error");
  const banner = document.getElementById("endpoint-banner");
  const bannerText = document.getElementById("endpoint-banner-text");
  const resumeButton = document.getElementById("resume-button");
  const editingNote = document.getElementById("editing-note");
  const attachment = document.getElementById("attachment");
  const imageInput = document.getElementById("image-input");
  const attachmentPreview = document.getElementById("attachment-preview");
  const csrfToken = composer.querySelector("input[name=csrfmiddlewaretoken]").value;
  const canResume = composer.dataset.canResume === "true";
  const WAKING = new Set(["paused", "scaledToZero"]);
  let controller = null;

  // --- Endpoint picker: price, state, multimodal attachment --------------------------------------------
  function selectedOption() {
    return endpointSelect.options[endpointSelect.selectedIndex];
  }

  function endpointUrl(template, id) {
    return template.replace(/\/0\//, `/${id}/`);
  }

  // The modes the endpoint's engine serves (the server refuses the others too); none: say why.
  function showModes(option) {
    const offered = option.dataset.modes.split(" ").filter(Boolean);
    const radios = [...composer.querySelectorAll("input[name=mode]")];
    for (const radio of radios) {
      radio.disabled = !offered.includes(radio.value);
      if (radio.value === "raw") {
        radio.parentElement.querySelector(".mode-label").textContent = option.dataset.rawLabel;
      }
    }
    const checked = radios.find((radio) => radio.checked);
    if ((!checked || checked.disabled) && offered.length) {
      radios.find((radio) => radio.value === offered[0]).checked = true;
    }
    const unsupported = document.getElementById("engine-unsupported");
    unsupported.textContent = option.dataset.unsupported;
    unsupported.classList.toggle("hidden", !option.dataset.unsupported);
    sendButton.disabled = !offered.length;
    regenerateButton.disabled = !offered.length;
  }

  function showEndpoint() {
    const option = selectedOption();
    const status = option.dataset.status;
    const badge = document.getElementById("endpoint-status");
    badge.className = `badge badge-${status}`;
    badge.textContent = option.dataset.statusLabel;
    document.getElementById("endpoint-engine").textContent = option.dataset.engine;
    document.getElementById("endpoint-price").textContent = option.dataset.price;
    showModes(option);
    attachment.classList.toggle("hidden", option.dataset.task !== "image-text-to-text");
    if (option.dataset.task !== "image-text-to-text") {
      clearAttachment();
    }
    if (status === "running") {
      banner.classList.add("hidden");
      return;
    }
    banner.classList.remove("hidden");
    resumeButton.classList.toggle("hidden", !(WAKING.has(status) && canResume));
    const waking = status === "scaledToZero" ? " A message wakes it up too (it answers once a replica is up)." : "";
    bannerText.textContent = WAKING.has(status)
      ? `${option.textContent.trim()} is ${option.dataset.statusLabel.toLowerCase()}.${waking}` +
        (canResume ? "" : " Ask an operator to resume it.")
      : `${option.textContent.trim()} is ${option.dataset.statusLabel.toLowerCase()}: it cannot answer now.`;
  }

  function setStatus(option, status, label) {
    option.dataset.status = status;
    option.dataset.statusLabel = label;
    if (option === selectedOption()) {
      showEndpoint();
    }
  }

  async function resumeAndWait() {
    const option = selectedOption();
    resumeButton.disabled = true;
    bannerText.textContent = `Resuming ${option.textContent.trim()}…`;
    try {
      const response = await postForm(endpointUrl(composer.dataset.resumeUrl, option.value), new FormData());
      const state = await response.json();
      if (!response.ok) {
        throw new Error(state.message || "The endpoint could not be resumed.");
      }
      await waitUntilRunning(option);
    } finally {
      resumeButton.disabled = false;
    }
  }

  async function waitUntilRunning(option) {
    const started = Date.now();
    for (;;) {
      const response = await fetch(endpointUrl(composer.dataset.stateUrl, option.value), {
        headers: { Accept: "application/json" },
      });
      const state = await response.json();
      if (state.status === "running") {
        setStatus(option, "running", state.status_label);
        return;
      }
      const operation = state.operation;
      if (operation && operation.state === "failed") {
        setStatus(option, state.status, state.status_label);
        throw new Error(operation.error || "The endpoint did not start.");
      }
      const seconds = Math.round((Date.now() - started) / 1000);
      bannerText.textContent = `Waiting for ${option.textContent.trim()}: ${state.status_label.toLowerCase()} (${seconds} s)…`;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  // --- Messages in the page ----------------------------------------------------------------------------
  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function addQuestion(id, text, imageUrl) {
    const item = element("li", "chat-message user");
    item.dataset.messageId = id;
    item.dataset.role = "user";
    const bubble = element("div", "bubble");
    if (imageUrl) {
      const image = element("img", "attached-image");
      image.src = imageUrl;
      image.alt = "Uploaded image";
      image.width = 160;
      bubble.append(image);
    }
    bubble.append(element("div", "question-text", text));
    const edit = element("button", "button small link edit-message", "Edit");
    edit.type = "button";
    item.append(bubble, edit);
    messagesList.append(item);
  }

  function addAnswer() {
    const item = element("li", "chat-message assistant streaming");
    item.dataset.role = "assistant";
    const bubble = element("div", "bubble answer");
    const text = element("div", "streaming-text");
    bubble.append(text);
    const note = element("p", "answer-stats muted");
    item.append(bubble, note);
    messagesList.append(item);
    return { item, bubble, text, note };
  }

  function removeAfter(item) {
    while (item && item.nextElementSibling) {
      item.nextElementSibling.remove();
    }
  }

  function describe(stats) {
    const parts = [];
    if (stats.time_to_first_token_ms != null) parts.push(`first token ${Math.round(stats.time_to_first_token_ms)} ms`);
    if (stats.tokens_per_second != null) parts.push(`${stats.tokens_per_second.toFixed(1)} tokens/s`);
    if (stats.input_tokens != null) parts.push(`${stats.input_tokens} in`);
    if (stats.output_tokens != null) parts.push(`${stats.output_tokens} out`);
    return parts.join(" · ");
  }

  // --- Sending and streaming ---------------------------------------------------------------------------
  function postForm(url, body, signal) {
    return window.postForEvents(url, body, csrfToken, signal);
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.classList.toggle("hidden", !message);
  }

  function setBusy(busy) {
    const offered = Boolean(selectedOption().dataset.modes);
    sendButton.disabled = busy || !offered;
    regenerateButton.disabled = busy || !offered;
    stopButton.disabled = !busy;
  }

  async function ask(action) {
    showError("");
    const option = selectedOption();
    if (WAKING.has(option.dataset.status) && option.dataset.status === "paused") {
      if (!canResume) {
        showError(`${option.textContent.trim()} is paused: ask an operator to resume it. Your message is kept.`);
        return;
      }
      try {
        await resumeAndWait();
      } catch (error) {
        showError(`${error.message} Your message is kept.`);
        return;
      }
    }
    const body = new FormData(composer);
    body.set("action", action);
    const typed = textArea.value;
    const imageUrl = attachmentPreview.querySelector("img")?.src;
    controller = new AbortController();
    setBusy(true);
    statusLine.textContent = "Asking…";
    let answer = null;
    try {
      // Not `composer.action`: the form has an input named "action", which shadows the property.
      const response = await postForm(composer.getAttribute("action"), body, controller.signal);
      const type = response.headers.get("Content-Type") || "";
      if (!type.startsWith("text/event-stream")) {
        const refusal = await response.json().catch(() => ({}));
        const fieldErrors = refusal.errors ? Object.values(refusal.errors).flat().map((e) => e.message || e) : [];
        showError([refusal.message || `The request failed (HTTP ${response.status}).`, ...fieldErrors].join(" "));
        if (refusal.endpoint_status) {
          setStatus(option, refusal.endpoint_status, refusal.endpoint_status);
        }
        return;
      }
      for await (const { event, data } of window.serverSentEvents(response)) {
        if (event === "start") {
          answer = onStart(data, action, typed, imageUrl);
        } else if (event === "status") {
          statusLine.textContent = data.text;
        } else if (event === "token") {
          statusLine.textContent = "Answering…";
          answer.text.textContent += data.text;
        } else if (event === "done") {
          answer.item.dataset.messageId = data.answer;
          answer.item.classList.remove("streaming");
          answer.bubble.innerHTML = data.html; // sanitized on the server (markdown-it + nh3)
          answer.note.textContent = describe(data.stats);
          statusLine.textContent = "";
        } else if (event === "error" && !answer) {
          // Failed before the question was recorded: nothing to mark in the conversation, keep the text.
          showError(data.message);
          textArea.value = typed;
        } else if (event === "error") {
          if (data.answer) {
            answer.item.dataset.messageId = data.answer;
          }
          answer.item.classList.replace("streaming", "failed");
          const problem = element("p", "answer-error", data.message);
          problem.setAttribute("role", "alert");
          answer.item.insertBefore(problem, answer.note);
          statusLine.textContent = "";
        }
      }
    } catch (error) {
      if (error.name === "AbortError") {
        statusLine.textContent = "Stopped.";
        if (answer) {
          answer.item.classList.replace("streaming", "stopped");
        }
      } else {
        showError(`The answer was interrupted: ${error.message}`);
        if (!answer) {
          textArea.value = typed;
        }
      }
    } finally {
      controller = null;
      setBusy(false);
      document.body.dispatchEvent(new Event("preview-refresh"));
    }
  }

  function onStart(data, action, typed, imageUrl) {
    composer.querySelector("input[name=conversation]").value = data.conversation;
    if (window.location.pathname !== data.url) {
      window.history.replaceState(null, "", data.url);
    }
    const question = messagesList.querySelector(`[data-message-id="${data.question}"]`);
    if (action === "send") {
      addQuestion(data.question, typed, imageUrl);
      textArea.value = "";
      clearAttachment();
    } else if (question) {
      if (action === "edit") {
        question.querySelector(".question-text").textContent = typed;
        textArea.value = "";
        stopEditing();
      }
      removeAfter(question);
    }
    const answer = addAnswer();
    if (data.notice) {
      // Older turns did not fit what the endpoint accepts: said under the answer, as on reload.
      const notice = element("p", "history-notice muted", data.notice);
      notice.setAttribute("role", "note");
      answer.item.insertBefore(notice, answer.note);
    }
    return answer;
  }

  // --- Editing a question ------------------------------------------------------------------------------
  function startEditing(item) {
    composer.querySelector("input[name=message]").value = item.dataset.messageId;
    textArea.value = item.querySelector(".question-text").textContent;
    editingNote.classList.remove("hidden");
    sendButton.textContent = "Resend";
    textArea.focus();
  }

  function stopEditing() {
    composer.querySelector("input[name=message]").value = "";
    editingNote.classList.add("hidden");
    sendButton.textContent = "Send";
  }

  // --- Image attachment --------------------------------------------------------------------------------
  function clearAttachment() {
    composer.querySelector("input[name=image]").value = "";
    attachmentPreview.replaceChildren();
    imageInput.value = "";
  }

  async function uploadImage() {
    const file = imageInput.files[0];
    if (!file) {
      return;
    }
    const body = new FormData();
    body.set("image", file);
    attachmentPreview.textContent = "Uploading…";
    const response = await postForm(composer.dataset.uploadUrl, body);
    // A body over the server's limit is refused before Django sees it, with a plain-text 413.
    const result = await response.json().catch(() => ({}));
    if (!response.ok) {
      clearAttachment();
      const tooLarge = response.status === 413 ? "The image is too large to upload." : "";
      showError(result.message || tooLarge || "The image was not accepted.");
      return;
    }
    showError("");
    composer.querySelector("input[name=image]").value = result.id;
    const image = element("img", "attachment-thumbnail");
    image.src = result.url;
    image.alt = file.name;
    const remove = element("button", "button small link", "Remove");
    remove.type = "button";
    remove.addEventListener("click", clearAttachment);
    attachmentPreview.replaceChildren(image, remove);
  }

  // --- Wiring ------------------------------------------------------------------------------------------
  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const editing = composer.querySelector("input[name=message]").value;
    ask(editing ? "edit" : "send");
  });
  textArea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });
  stopButton.addEventListener("click", () => controller?.abort());
  regenerateButton.addEventListener("click", () => ask("regenerate"));
  resumeButton.addEventListener("click", () => resumeAndWait().catch((error) => showError(error.message)));
  endpointSelect.addEventListener("change", showEndpoint);
  imageInput.addEventListener("change", () => uploadImage().catch((error) => showError(error.message)));
  document.getElementById("cancel-edit").addEventListener("click", () => {
    stopEditing();
    textArea.value = "";
  });
  messagesList.addEventListener("click", (event) => {
    const edit = event.target.closest(".edit-message");
    if (edit) {
      startEditing(edit.closest(".chat-message"));
    }
  });
  showEndpoint();

  // --- Copy buttons of code blocks in answers ----------------------------------------------------------
  function copyCodeBlock(event) {
    const button = event.target.closest("[data-copy-code]");
    if (!button) {
      return;
    }
    const code = button.parentElement.querySelector("pre");
    navigator.clipboard.writeText(code.textContent).then(() => {
      button.textContent = "Copied";
      setTimeout(() => { button.textContent = "Copy"; }, 1200);
    });
  }
})();
