// The playground's answers over fetch: a POST with the CSRF token (its answer is server-sent events, or JSON
// when refused), and the events read from the response as {event, data}.
"use strict";

window.postForEvents = function postForEvents(url, body, csrfToken, signal) {
  return fetch(url, {
    method: "POST",
    body,
    signal,
    headers: { "X-CSRFToken": csrfToken, Accept: "text/event-stream, application/json" },
  });
};

window.serverSentEvents = async function* serverSentEvents(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
      }
      yield { event, data: JSON.parse(data.join("\n")) };
    }
  }
};
