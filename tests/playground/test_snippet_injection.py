"""Copy as code: text from people or models cannot become code in the snippets."""

import ast

import pytest

from endpoints_app.models import Endpoint, Namespace
from playground_app.chat_templates import TemplateSource
from playground_app.history import Turn
from playground_app.parameters import ChatParameters
from playground_app.snippets import EngineCode, snippets

BREAKOUT = '__image_1.jpg")\nimport os; os.system("echo pwned")\nx=("'
# What an endpoint says of itself is not trusted either: the name /v1/models lists, a card's base_model.
REPOSITORY = 'google/gemma-1.1-2b-it", trust_remote_code=True, x=("'
REVISION = 'main"); import os; ("'
TGI = EngineCode("tgi", "by convention", TemplateSource(REPOSITORY, REVISION))
VLLM = EngineCode(BREAKOUT, "served", TemplateSource(BREAKOUT, BREAKOUT, origin=BREAKOUT))
VLLM_UNKNOWN_NAME = EngineCode(None, "served", TemplateSource(BREAKOUT, origin=BREAKOUT))


def endpoint(**fields) -> Endpoint:
    values = {
        "namespace": Namespace(name="demo"),
        "name": "gemma-001",
        "url": 'https://example.test/e/1"); import os; ("',
        "repository": REPOSITORY,
        "revision": REVISION,
        "engine": "tgi",
        **fields,
    }
    return Endpoint(**values)


@pytest.mark.parametrize(
    ("engine", "code"),
    [("tgi", TGI), ("vllm", VLLM), ("llamacpp", VLLM_UNKNOWN_NAME)],
    ids=["tgi", "vllm", "gguf"],
)
def test_messages_and_endpoint_fields_stay_inside_their_literals(engine: str, code: EngineCode) -> None:
    turns = [Turn(role="user", text=BREAKOUT), Turn(role="assistant", text=BREAKOUT)]
    made = snippets(endpoint(engine=engine), BREAKOUT, turns, ChatParameters(), multimodal=False, engine=code)
    assert [snippet.key for snippet in made] == ["requests", "messages", "client", "curl"]
    for snippet in made:
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
        s
        for s in snippets(endpoint(), "", [], ChatParameters(), multimodal=False, engine=TGI)
        if s.key == "curl"
    )
    assert "curl 'https://example.test/e/1\"); import os; (\"/v1/chat/completions'" in curl.code
