"""Copy as code: text from people or models cannot become code in the snippets."""

import ast

from endpoints_app.models import Endpoint, Namespace
from playground_app.history import Turn
from playground_app.parameters import ChatParameters
from playground_app.snippets import snippets

BREAKOUT = '__image_1.jpg")\nimport os; os.system("echo pwned")\nx=("'


def endpoint(**fields) -> Endpoint:
    values = {
        "namespace": Namespace(name="demo"),
        "name": "gemma-001",
        "url": 'https://example.test/e/1"); import os; ("',
        "repository": 'google/gemma-1.1-2b-it", trust_remote_code=True, x=("',
        "revision": 'main"); import os; ("',
        **fields,
    }
    return Endpoint(**values)


def test_messages_and_endpoint_fields_stay_inside_their_literals() -> None:
    turns = [Turn(role="user", text=BREAKOUT), Turn(role="assistant", text=BREAKOUT)]
    for snippet in snippets(endpoint(), BREAKOUT, turns, ChatParameters(), multimodal=False):
        if snippet.language != "python":
            continue
        tree = ast.parse(snippet.code)
        imported = [
            alias.name for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        ]  # fmt: skip
        assert "os.system" not in {
            ast.unparse(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)
        }, snippet.key
        assert "trust_remote_code" not in {
            keyword.arg for node in ast.walk(tree) if isinstance(node, ast.Call) for keyword in node.keywords
        }, snippet.key
        assert imported.count("os") <= 1, snippet.key  # the snippet's own `import os` only


def test_curl_quotes_the_url_as_one_word() -> None:
    curl = next(
        s for s in snippets(endpoint(), "", [], ChatParameters(), multimodal=False) if s.key == "curl"
    )
    assert "curl 'https://example.test/e/1\"); import os; (\"/v1/chat/completions'" in curl.code
