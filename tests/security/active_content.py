"""What in a page a browser would run: scripts not served by the console itself, event handler
attributes, `javascript:` URLs, frames and plugins. A page made only of the console's templates has none."""

from html.parser import HTMLParser

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
EMBEDDING_TAGS = {"iframe", "frame", "object", "embed", "base"}
# Inline data blocks (json_script) are not run; any other inline script is.
DATA_SCRIPT_TYPES = {"application/json"}


class _ActiveContentFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on") or name.startswith("hx-on"):
                self.found.append(f"<{tag} {name}=...>: an event handler")
            if name in URL_ATTRIBUTES and value.strip().lower().startswith(("javascript:", "data:text/html")):
                self.found.append(f"<{tag} {name}={value!r}>: a script URL")
        if tag in EMBEDDING_TAGS:
            self.found.append(f"<{tag}>: embeds another document")
        if tag == "script":
            source = values.get("src", "")
            if source and not (source.startswith("/") and not source.startswith("//")):
                self.found.append(f"<script src={source!r}>: not served by the console")
            self._inline_script = not source and values.get("type") not in DATA_SCRIPT_TYPES

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inline_script = False

    def handle_data(self, data: str) -> None:
        if self._inline_script and data.strip():
            self.found.append(f"<script>{data.strip()[:60]}</script>: an inline script")


def active_content(html: str) -> list[str]:
    finder = _ActiveContentFinder()
    finder.feed(html)
    finder.close()
    return finder.found
