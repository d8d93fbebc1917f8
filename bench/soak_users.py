"""The people of the soak benchmark (bench.soak): each clicks through the console as its role allows, with
think times, and notes every action the console accepted (the Ledger) so that none can go missing unseen.

Everything a person does starts from a page it loaded: the endpoints it acts on are the rows, links and
buttons that page offered, and the forms it submits are the page's own, filled in as a person would.
"""

import asyncio
import random
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import httpx2

from bench.soak_browser import OPERATION_ID, Browser, Page, form_data

ACTION_URL = re.compile(r"/endpoints/(\d+)/(pause|resume|scale-to-zero)/")
ACTIVE_STATE = re.compile(r'data-state="(queued|calling|waiting)"')
CHAT_QUESTIONS = (
    "What is a GPU, in two sentences?",
    "Write a haiku about autumn.",
    "How do I read a file line by line in Python?",
    "Give me three names for a bakery.",
    "Explain what an inference endpoint is.",
)
IMAGE_PROMPTS = ("A red lighthouse on a cliff at sunset", "A bowl of ramen, watercolour", "A fox in the snow")
PRESETS = ("gemma", "sdxl", "idefics2")
PROGRESS_POLLS = 3  # how many times a person watches an operation's progress (every 2 s, as the page does)
POLL_SECONDS = 2.0


@dataclass(frozen=True)
class Accepted:
    """An action the console said yes to: an Operation must exist for it."""

    user_id: int
    kind: str  # an OperationKind value
    sent_at: float  # time.time() around the request
    answered_at: float
    endpoint_id: int | None = None  # the endpoint acted on (all but create)
    namespace_id: int | None = None  # create: where, and under which name
    name: str = ""
    operation_id: int | None = None  # when the answer shows the operation (create, update)


@dataclass
class Ledger:
    accepted: list[Accepted] = field(default_factory=list)


def refusal_reason(text: str) -> str:
    """A refusal's reason in a few words (the figures count refusals by reason)."""
    reasons = {
        "already in progress": "another operation in progress",
        "Too many": "rate limit",
        "task queue": "task queue down",
        "Quota": "quota",
        "already": "already in that state",
        "no longer exists": "endpoint gone",
    }
    return next((reason for words, reason in reasons.items() if words in text), text[:60])


class Person:
    def __init__(
        self, number: int, role: str, user_id: int, browser: Browser, ledger: Ledger, rng: random.Random
    ) -> None:
        self.number = number
        self.role = role
        self.user_id = user_id
        self.browser = browser
        self.ledger = ledger
        self.rng = rng
        self.endpoint_links: list[str] = []  # detail pages seen on the last list page
        self.created = 0

    # --- The session -----------------------------------------------------------------------------------
    async def session(self, until: float, think_seconds: tuple[float, float]) -> None:
        """Clicks until `until` (time.monotonic()), thinking between two clicks."""
        while time.monotonic() < until:
            try:
                await self.click()
            except httpx2.TransportError as error:  # the server did not answer: as bad as an error page
                self.browser.tally.error_pages.append(f"no answer: {error!r}")
            await asyncio.sleep(self.rng.uniform(*think_seconds))

    async def click(self) -> None:
        clicks: dict[Callable[[], Awaitable[None]], float] = {
            self.browse: 50,
            self.chat: 10,
            self.make_image: 3,
        }
        if self.role in ("operator", "admin"):
            clicks |= {self.act_on_row: 15, self.act_on_detail: 8, self.update: 6, self.create: 6}
        if self.role == "admin":
            clicks[self.delete] = 6
        await self.rng.choices(list(clicks), weights=list(clicks.values()))[0]()

    async def browse(self) -> None:
        """One page-only click (what the baseline measures alone)."""
        pages: list[Callable[[], Awaitable[None]]] = [
            self.overview, self.endpoint_list, self.endpoint_detail, self.audit, self.costs,
            self.chat_page, self.images_page, self.gallery,
        ]  # fmt: skip
        await self.rng.choice(pages)()

    # --- Pages -----------------------------------------------------------------------------------------
    async def overview(self) -> None:
        await self.browser.get("/")

    async def endpoint_list(self, query: str = "") -> Page:
        """The list, then perhaps a filter, a sort or the next page, and the live part polling once."""
        page = await self.browser.get(f"/endpoints/{query}")
        if not query:
            follow = self.rng.choice([self._filtered, self._sorted, self._next_page, None])
            page = await follow(page) if follow else page
        self.endpoint_links = page.links(r"/endpoints/\d+/") or self.endpoint_links
        live = page.doc.xpath('//div[@id="list-poller"]/@hx-get')
        if live:
            await self.browser.get(live[0], htmx_target="list-poller")
        return page

    async def _filtered(self, page: Page) -> Page:
        form = page.form('//form[@role="search"]')
        selects = (
            [select for select in form.xpath(".//select") if len(select.value_options) > 1]
            if form is not None
            else []
        )
        if not selects:
            return page
        select = self.rng.choice(selects)
        values = form_data(form, **{select.name: self.rng.choice(select.value_options[1:])})
        query = urlencode({name: value for name, value in values.items() if value})
        return await self.browser.get(f"{page.url.split('?')[0]}?{query}")

    async def _sorted(self, page: Page) -> Page:
        sorts = [link for link in page.links(r"/endpoints/|") if "sort=" in link]
        return await self.browser.get(self._absolute(page, self.rng.choice(sorts))) if sorts else page

    async def _next_page(self, page: Page) -> Page:
        pages = [link for link in page.links(r"/endpoints/|") if "page=" in link]
        return await self.browser.get(self._absolute(page, pages[0])) if pages else page

    @staticmethod
    def _absolute(page: Page, link: str) -> str:
        return link if link.startswith("/") else f"{page.url.split('?')[0]}{link}"

    async def endpoint_detail(self) -> Page | None:
        if not self.endpoint_links:
            await self.endpoint_list()
        if not self.endpoint_links:
            return None
        page = await self.browser.get(self.rng.choice(self.endpoint_links))
        if page.doc.xpath('//section[@id="endpoint-live"]'):
            await self.browser.get(f"{page.url}live/", htmx_target="endpoint-live")
        operations = page.links(r"/endpoints/operations/\d+/")
        if operations and self.rng.random() < 0.3:
            await self.browser.get(self.rng.choice(operations))
        return page

    async def audit(self) -> None:
        page = await self.browser.get("/endpoints/audit/")
        if self.rng.random() < 0.5:
            await self._filtered(page)

    async def costs(self) -> None:
        await self.browser.get("/billing/costs/")

    async def chat_page(self) -> Page:
        page = await self.browser.get("/playground/")
        await self.browser.get("/playground/history", htmx_target="history-list")
        return page

    async def images_page(self) -> Page:
        return await self.browser.get("/playground/images/")

    async def gallery(self) -> None:
        page = await self.browser.get("/playground/gallery/")
        images = page.links(r"/playground/gallery/\d+/")
        if images:
            shown = await self.browser.get(self.rng.choice(images))
            for thumbnail in shown.doc.xpath("//img/@src")[:1]:
                await self.browser.get(thumbnail)

    # --- The playground --------------------------------------------------------------------------------
    async def chat(self) -> None:
        """A question sent from the chat page to a running endpoint, and its answer streamed to the end."""
        page = await self.chat_page()
        form = page.form('//form[@id="composer"]')
        if form is None:
            return
        running = form.xpath('.//select[@name="endpoint"]/option[@data-status="running"]/@value')
        if not running:
            return
        data = form_data(
            form, endpoint=self.rng.choice(running), text=self.rng.choice(CHAT_QUESTIONS), max_new_tokens="40"
        )
        async for event, body in self.browser.stream_events("/playground/answer", data):
            if event == "refused":
                self.browser.tally.refusals[f"playground: {body.get('message', body['status'])}"[:80]] += 1
            elif event in ("done", "error"):
                self.browser.tally.answers[event] += 1

    async def make_image(self) -> None:
        page = await self.images_page()
        form = page.form('//form[@id="image-form"]')
        if form is None:
            return
        running = [
            option.get("value")
            for option in form.xpath('.//select[@name="endpoint"]/option')
            if "(running)" in option.text_content()
        ]
        if not running:
            return
        data = form_data(
            form, endpoint=self.rng.choice(running), prompt=self.rng.choice(IMAGE_PROMPTS),
            width="256", height="256", num_inference_steps="4", count="1",
        )  # fmt: skip
        answer = await self.browser.post("/playground/images/generate", data)
        if not answer.location and (reason := answer.refusal()):
            self.browser.tally.refusals[f"images: {refusal_reason(reason)}"] += 1

    # --- Actions ---------------------------------------------------------------------------------------
    async def act_on_row(self) -> None:
        """A quick action of a list row (htmx, the row comes back)."""
        status = self.rng.choice(["running", "paused", "scaledToZero", ""])
        page = await self.endpoint_list(f"?status={status}" if status else "")
        buttons = page.doc.xpath('//td[@class="row-actions"]/form[not(.//button[@disabled])]/@hx-post')
        if not buttons:
            return
        url = self.rng.choice(buttons)
        endpoint_id, verb = ACTION_URL.fullmatch(url).groups()
        sent_at = time.time()
        answer = await self.browser.post(url, form_data(page.form(f'//form[@hx-post="{url}"]')),
                                         htmx_target=f"endpoint-{endpoint_id}")  # fmt: skip
        live = page.doc.xpath('//div[@id="list-poller"]/@hx-get')
        if self._noted(answer, verb.replace("-", "_"), sent_at, endpoint_id=int(endpoint_id)) and live:
            await self._watch(live[0], "list-poller")

    async def act_on_detail(self) -> None:
        """An action of an endpoint's page (a plain form: the answer redirects back to the page)."""
        page = await self.endpoint_detail()
        if page is None:
            return
        forms = page.doc.xpath('//section[@id="endpoint-live"]//form[not(.//button[@disabled])]')
        if not forms:
            return
        form = self.rng.choice(forms)
        endpoint_id, verb = ACTION_URL.fullmatch(form.get("action")).groups()
        sent_at = time.time()
        answer = await self.browser.post(form.get("action"), form_data(form))
        if self._noted(answer, verb.replace("-", "_"), sent_at, endpoint_id=int(endpoint_id)):
            await self._watch(f"/endpoints/{endpoint_id}/live/", "endpoint-live")

    async def update(self) -> None:
        """The edit form of an endpoint, with its maximum of replicas changed."""
        page = await self.endpoint_detail()
        edit = page.links(r"/endpoints/\d+/edit/") if page else []
        if not edit:
            return
        form_page = await self.browser.get(edit[0])
        form = form_page.form('//form[@id="endpoint-form"]')
        if form is None:
            return
        replicas = "2" if form.fields["max_replica"] == "1" else "1"
        sent_at = time.time()
        answer = await self.browser.post(
            edit[0], form_data(form, max_replica=replicas, min_replica="0"), htmx_target="form-progress"
        )
        endpoint_id = int(re.search(r"\d+", edit[0]).group())
        await self._watch_operation(self._noted(answer, "update", sent_at, endpoint_id=endpoint_id))

    async def create(self) -> None:
        """A new endpoint from one of the create form's presets, under a name of its own."""
        page = await self.browser.get(f"/endpoints/new/?preset={self.rng.choice(PRESETS)}")
        form = page.form('//form[@id="endpoint-form"]')
        if form is None:
            return
        self.created += 1
        name = f"soak-{self.number:02d}-{self.created:03d}"
        data = form_data(form, name=name)
        sent_at = time.time()
        answer = await self.browser.post("/endpoints/new/", data, htmx_target="form-progress")
        note = self._noted(answer, "create", sent_at, namespace_id=int(data["namespace"]), name=name)
        await self._watch_operation(note)

    async def delete(self) -> None:
        """An endpoint made during the soak, deleted from its page by typing its name."""
        page = await self.endpoint_list("?q=soak-")
        rows = page.doc.xpath('//tr[starts-with(@id, "endpoint-")]//td[1]/a')
        if not rows:
            return
        row = self.rng.choice(rows)
        url = f"{row.get('href')}delete/"
        form = (await self.browser.get(url)).form('//form[contains(@action, "/delete/")]')
        if form is None:
            return
        sent_at = time.time()
        answer = await self.browser.post(url, form_data(form, typed_name=row.text_content().strip()))
        endpoint_id = int(re.search(r"\d+", url).group())
        self._noted(answer, "delete", sent_at, endpoint_id=endpoint_id, accepted=bool(answer.location))

    def _noted(
        self, answer: Page, kind: str, sent_at: float, *, accepted: bool | None = None, **what: int | str
    ) -> Accepted | None:
        """Notes the answer to an action: in the ledger when accepted, by reason when refused."""
        reason = answer.refusal()
        if accepted is None:
            accepted = reason is None
        if not accepted:
            self.browser.tally.refusals[f"{kind}: {refusal_reason(reason or 'no reason shown')}"] += 1
            return None
        # The operation the answer itself shows (create, update); a page followed after a redirect shows the
        # endpoint's latest operation, which may already be someone else's.
        shown = None if answer.location else OPERATION_ID.search(answer.text)
        note = Accepted(self.user_id, kind, sent_at, time.time(),
                        operation_id=int(shown.group(1)) if shown else None, **what)  # fmt: skip
        self.ledger.accepted.append(note)
        return note

    async def _watch(self, url: str, target: str) -> None:
        """Stays on the page while its live part polls (every 2 s, as the page does), a few times or until
        the operation shown is over."""
        for _ in range(PROGRESS_POLLS):
            await asyncio.sleep(POLL_SECONDS)
            page = await self.browser.get(url, htmx_target=target)
            if target.startswith("operation-") and not ACTIVE_STATE.search(page.text):
                return

    async def _watch_operation(self, note: Accepted | None) -> None:
        if note is not None and note.operation_id is not None:
            await self._watch(f"/endpoints/operations/{note.operation_id}/", f"operation-{note.operation_id}")
