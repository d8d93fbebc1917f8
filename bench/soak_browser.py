"""One simulated person's browser for the soak benchmark (bench.soak): a logged-in async HTTP session that
times each page, reads links and forms off it as a browser would, sends htmx's headers and the CSRF token,
and tells error pages (a 5xx, or a rendered error page) from refusals (a message saying no)."""

import json
import re
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import httpx2
import lxml.html

ERROR_PAGE_MARK = 'class="card error-page"'  # templates/error_page.html and 500.html
OPERATION_ID = re.compile(r'id="operation-(\d+)"')


@dataclass
class Tally:
    """What the simulated people of one phase saw, added up."""

    requests: int = 0
    error_pages: list[str] = field(default_factory=list)  # "POST /endpoints/3/pause/ -> 500"
    refusals: Counter[str] = field(default_factory=Counter)  # refused actions and sends, by reason
    page_ms: list[float] = field(default_factory=list)  # every GET answered with a page or a partial
    answers: Counter[str] = field(default_factory=Counter)  # chat answers: "done" or "error" events


@dataclass
class Page:
    url: str
    status: int
    text: str
    location: str = ""

    @cached_property
    def doc(self) -> Any:
        return lxml.html.fromstring(self.text or "<html></html>")

    def links(self, pattern: str) -> list[str]:
        """The page's link targets (paths, query included) whose path matches `pattern` in full."""
        found = {href for href in self.doc.xpath("//a/@href") if re.fullmatch(pattern, href.split("?")[0])}
        return sorted(found)

    def form(self, xpath: str) -> Any | None:
        forms = self.doc.xpath(xpath)
        return forms[0] if forms else None

    def refusal(self) -> str | None:
        """The reason shown when an action was refused: an error notice or a form error, else None."""
        texts = self.doc.xpath(
            '//div[contains(@class, "notice-error")]//span[@class="notice-text"]'
            ' | //div[@class="form-errors"]/p | //small[@class="error"]'
        )
        return " ".join(text.text_content().strip() for text in texts) or None


def form_data(form: Any, **changes: str) -> dict[str, str]:
    """What submitting `form` sends: its current values (lxml reads inputs, selects and textareas as a
    browser does), with `changes` typed in."""
    return {**dict(form.form_values()), **changes}


class Browser:
    """A logged-in session. Each response is checked for an error page; each GET's time is kept."""

    def __init__(self, base_url: str, cookies: dict[str, str], csrf: str, tally: Tally) -> None:
        self._client = httpx2.AsyncClient(base_url=base_url, cookies=cookies, timeout=120)
        self._csrf = csrf
        self._etags: dict[str, str] = {}
        self.tally = tally
        self.current_url = "/"

    async def close(self) -> None:
        await self._client.aclose()

    def _headers(self, htmx_target: str | None, *, post: bool) -> dict[str, str]:
        headers = {"X-CSRFToken": self._csrf} if post else {}
        if htmx_target is not None:
            headers |= {"HX-Request": "true", "HX-Target": htmx_target, "HX-Current-URL": self.current_url}
        return headers

    def _check(self, method: str, url: str, response: httpx2.Response, text: str) -> None:
        self.tally.requests += 1
        if response.status_code >= 500 or ERROR_PAGE_MARK in text:
            self.tally.error_pages.append(f"{method} {url} -> {response.status_code}")

    async def get(self, url: str, *, htmx_target: str | None = None) -> Page:
        """A page (or, with `htmx_target`, the partial htmx asks for; a repeated one sends its ETag)."""
        headers = self._headers(htmx_target, post=False)
        if htmx_target is not None and url in self._etags:
            headers["If-None-Match"] = self._etags[url]
        started = time.perf_counter()
        response = await self._client.get(url, headers=headers)
        self.tally.page_ms.append((time.perf_counter() - started) * 1000)
        self._check("GET", url, response, response.text)
        if "ETag" in response.headers:
            self._etags[url] = response.headers["ETag"]
        if htmx_target is None and response.status_code == 200:
            self.current_url = url
        return Page(url, response.status_code, response.text, response.headers.get("Location", ""))

    async def post(self, url: str, data: dict[str, str], *, htmx_target: str | None = None) -> Page:
        """A form submitted (by htmx when `htmx_target` is given); a redirect is followed, as browsers do."""
        response = await self._client.post(url, data=data, headers=self._headers(htmx_target, post=True))
        self._check("POST", url, response, response.text)
        if response.is_redirect:
            location = response.headers["Location"]
            followed = await self.get(location)
            return Page(followed.url, followed.status, followed.text, location)
        return Page(url, response.status_code, response.text)

    async def stream_events(self, url: str, data: dict[str, str]) -> AsyncIterator[tuple[str, dict]]:
        """A form posted as the playground's script posts it, and the server-sent events of the answer; a
        refusal (JSON instead of a stream) comes as one ("refused", body) event."""
        headers = {**self._headers(None, post=True), "Accept": "text/event-stream, application/json"}
        async with self._client.stream("POST", url, data=data, headers=headers) as response:
            if not response.headers.get("Content-Type", "").startswith("text/event-stream"):
                text = (await response.aread()).decode()
                self._check("POST", url, response, text)
                body = json.loads(text) if response.headers.get("Content-Type") == "application/json" else {}
                yield "refused", {"status": response.status_code, **body}
                return
            self._check("POST", url, response, "")
            event = "message"
            async for line in response.aiter_lines():
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    yield event, json.loads(line[5:])
