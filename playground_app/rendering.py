"""Answers as HTML: Markdown rendered by markdown-it-py, sanitized by nh3, code blocks given a Copy button.

Line breaks are kept (models write poems and lists with them). Raw HTML in an answer is shown as text
(markdown-it's `html` option is off), and nh3 removes whatever could still run: scripts, event handlers,
`javascript:` links. The Copy button is added after sanitizing, around
`<pre>` tags only nh3 can have written (text that looks like a tag is escaped by then). Images are left out:
the page's Content-Security-Policy would block outside ones, and a model has no business loading any.
"""

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt(
    "commonmark", {"html": False, "breaks": True, "linkify": False, "typographer": False}
).enable(["table", "strikethrough"])

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "code": {"class"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
COPY_BUTTON = (
    '<div class="code-block">'
    '<button type="button" class="button small copy-code" data-copy-code>Copy</button><pre>'
)


def render_markdown(text: str) -> str:
    """Safe HTML for an answer (never trust a model: its text may carry whatever a prompt made it write)."""
    html = nh3.clean(
        _markdown.render(text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return html.replace("<pre>", COPY_BUTTON).replace("</pre>", "</pre></div>")
