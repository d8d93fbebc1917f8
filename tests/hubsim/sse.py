"""Reading server-sent events the way the real clients do, line by line."""

import json

import httpx2

DONE = "[DONE]"


def stream_events(url: str, body: dict, headers: dict | None = None) -> tuple[list[dict], list[str]]:
    """POST and read the whole stream: the JSON events, and every raw ``data`` line as sent."""
    events, raw_lines = [], []
    with httpx2.stream("POST", url, json=body, headers=headers or {}, timeout=30) as response:
        response.raise_for_status()
        for line in response.iter_lines():
            if line.startswith("data:"):
                raw_lines.append(line)
                payload = line[len("data:") :].strip()
                if payload != DONE:
                    events.append(json.loads(payload))
    return events, raw_lines
