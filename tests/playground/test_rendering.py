"""Answers are Markdown made safe: a malicious answer renders inert, code blocks get a Copy button."""

import pytest
from django.urls import reverse

from playground_app.models import Conversation, Message, Role
from playground_app.rendering import render_markdown

MALICIOUS = """Here you go:
<script>alert('pwned')</script>
<img src=x onerror="alert(1)">
[click me](javascript:alert(document.cookie))
<a href="javascript:alert(2)">raw link</a>
<iframe src="https://example.org"></iframe>
"""


def test_scripts_event_handlers_and_javascript_links_are_inert() -> None:
    html = render_markdown(MALICIOUS)
    assert "<script" not in html and "<img" not in html and "<iframe" not in html and "<a " not in html
    assert "&lt;script&gt;alert('pwned')&lt;/script&gt;" in html  # shown as text, not run


SVG_PAYLOADS = [
    "<svg onload=alert(1)>",
    "<svg><script>alert(2)</script></svg>",
    '<svg><a xlink:href="javascript:alert(3)"><text y="20">tap</text></a></svg>',
    "<svg><animate onbegin=alert(4) attributeName=x dur=1s>",
    '<math><mi xlink:href="javascript:alert(5)">x</mi></math>',
    "![chart](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoNik+)",
    "[open](data:image/svg+xml,%3Csvg%20onload=alert(7)%3E)",
]


@pytest.mark.parametrize("payload", SVG_PAYLOADS)
def test_svg_and_mathml_payloads_are_inert(payload: str) -> None:
    html = render_markdown(payload)
    assert [tag for tag in ("<svg", "<math", "<img", "<a ", "<script") if tag in html] == []


def test_markdown_becomes_html_with_safe_links() -> None:
    html = render_markdown("**Bold** and [docs](https://huggingface.co/docs)")
    assert html == (
        '<p><strong>Bold</strong> and <a href="https://huggingface.co/docs" '
        'rel="noopener noreferrer nofollow">docs</a></p>\n'
    )


def test_code_blocks_get_a_copy_button() -> None:
    html = render_markdown("```python\nprint('<pre>')\n```")
    assert html == (
        '<div class="code-block">'
        '<button type="button" class="button small copy-code" data-copy-code>Copy</button>'
        "<pre><code class=\"language-python\">print('&lt;pre&gt;')\n</code></pre></div>\n"
    )


def test_a_stored_malicious_answer_is_rendered_inert_on_its_page(team, otto) -> None:
    conversation = Conversation.objects.create(title="Evil", author=team.operator)
    Message.objects.create(conversation=conversation, position=0, role=Role.USER, content="<b>hi</b>")
    Message.objects.create(conversation=conversation, position=1, role=Role.ASSISTANT, content=MALICIOUS)
    page = otto.get(reverse("playground:conversation", args=[conversation.pk])).content.decode()
    assert "<script>alert" not in page
    assert '<a href="javascript:' not in page
    assert "&lt;b&gt;hi&lt;/b&gt;" in page
