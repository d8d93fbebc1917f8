"""transformers, with an empty cache, loads each built-in repository's tokenizer from a Hub that serves
`repo_files`, and renders chat templates and tokenizes exactly as `hubsim.models` does."""

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from hubsim.models import ChatTemplateError, all_repos, load_engine, render_chat, repo_files, repo_sha

CHAT_REPOS = [
    "google/gemma-1.1-2b-it",
    "Qwen/Qwen2.5-0.5B-Instruct",
    "meta-llama/Meta-Llama-3-8B-Instruct",
    "mistralai/Mistral-7B-Instruct-v0.2",
]
TOKENIZER_REPOS = [spec.repo_id for spec in all_repos() if spec.library_name == "transformers"]
# transformers ignores tokenizer_class for a few model types (qwen2 among them) and builds its own class.
FORCED_CLASSES = {"Qwen/Qwen2.5-0.5B-Instruct": "Qwen2Tokenizer"}

_USER = {"role": "user", "content": "What is deep learning?"}
_ASSISTANT = {"role": "assistant", "content": "A kind of machine learning."}
TEXT_CONVERSATIONS = [
    ([_USER], True),
    ([_USER], False),
    ([_USER, _ASSISTANT, {"role": "user", "content": "Please write a short poem about open source."}], True),
    ([{"role": "system", "content": "You answer briefly."}, _USER], True),
    ([{"role": "user", "content": "  Spaces around me are trimmed by some families.\n"}], True),
    ([_USER, _USER], True),
]
IDEFICS_CONVERSATIONS = [
    (
        [
            {
                "role": "user",
                "content": [{"type": "image"}, {"type": "text", "text": "What colour is the sky?"}],
            }
        ],
        True,
    ),
    (
        [
            {"role": "user", "content": [{"type": "text", "text": "Describe"}, {"type": "image"}]},
            {"role": "assistant", "content": [{"type": "text", "text": "A blue sky over green fields."}]},
            {"role": "user", "content": [{"type": "text", "text": "And the clouds?"}]},
        ],
        False,
    ),
]
TEXTS = ["Hello world.", "What is deep learning?\n\nIt learns layers of features.", "naïve café 東京 🚀"]

_TRANSFORMERS_SCRIPT = """
import json, sys
from transformers import AutoTokenizer

results = {}
for repo, job in json.load(sys.stdin).items():
    tokenizer = AutoTokenizer.from_pretrained(repo, token="hf_test_token")
    renders = []
    for messages, add_generation_prompt in job["conversations"]:
        try:
            renders.append(tokenizer.apply_chat_template(
                messages, tokenize=False, add_generation_prompt=add_generation_prompt))
        except Exception as error:
            renders.append({"error": str(error)})
    results[repo] = {
        "class": type(tokenizer).__name__,
        "renders": renders,
        "ids": [tokenizer(text)["input_ids"] for text in job["texts"]],
    }
json.dump(results, sys.stdout)
"""


class _HubFilesHandler(BaseHTTPRequestHandler):
    """The Hub routes AutoTokenizer uses (model info, tree, resolve), over `repo_files` and `repo_sha`."""

    _INFO = re.compile(r"^/api/models/(?P<repo>.+?)(?:/revision/(?P<rev>[^/]+))?$")
    _TREE = re.compile(r"^/api/models/(?P<repo>.+?)/tree/(?P<rev>[^/]+)(?:/(?P<path>.*))?$")
    _RESOLVE = re.compile(r"^/(?P<repo>.+?)/resolve/(?P<rev>[^/]+)/(?P<path>.+)$")

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _answer(self, send_body: bool) -> None:
        path = self.path.split("?", 1)[0]
        if match := self._RESOLVE.match(path):
            self._resolve(match["repo"], match["path"], send_body)
        elif match := self._TREE.match(path):
            self._tree(match["repo"], match["path"] or "")
        elif match := self._INFO.match(path):
            self._info(match["repo"])
        else:
            self._send(404, b"{}", {"X-Error-Code": "RepoNotFound"})

    def _files(self, repo: str) -> dict[str, bytes] | None:
        try:
            return repo_files(repo)
        except LookupError:
            self._send(404, b"{}", {"X-Error-Code": "RepoNotFound"})
            return None

    def _info(self, repo: str) -> None:
        if (files := self._files(repo)) is not None:
            siblings = [{"rfilename": name} for name in sorted(files)]
            self._send_json({"id": repo, "sha": repo_sha(repo), "siblings": siblings})

    def _tree(self, repo: str, folder: str) -> None:
        if (files := self._files(repo)) is None:
            return
        prefix = f"{folder}/" if folder else ""
        entries = [{"type": "file", "path": name, "size": len(data)} for name, data in sorted(files.items())]
        entries = [entry for entry in entries if entry["path"].startswith(prefix)]
        if folder and not entries:
            self._send(404, b"{}", {"X-Error-Code": "EntryNotFound"})
        else:
            self._send_json(entries)

    def _resolve(self, repo: str, name: str, send_body: bool) -> None:
        if (files := self._files(repo)) is None:
            return
        commit = {"X-Repo-Commit": repo_sha(repo)}
        if name not in files:
            self._send(404, b"{}", {**commit, "X-Error-Code": "EntryNotFound"})
            return
        content = files[name]
        etag = f'"{repo_sha(repo)[:8]}-{len(content)}-{name}"'
        self._send(200, content, {**commit, "ETag": etag}, send_body)

    def _send_json(self, document: object) -> None:
        self._send(200, json.dumps(document).encode(), {"Content-Type": "application/json"})

    def _send(self, status: int, body: bytes, headers: dict[str, str], send_body: bool = True) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)


@pytest.fixture(scope="module")
def hub_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HubFilesHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def _conversations(repo: str) -> list[tuple[list[dict], bool]]:
    return IDEFICS_CONVERSATIONS if repo == "HuggingFaceM4/idefics2-8b-chatty" else TEXT_CONVERSATIONS


@pytest.fixture(scope="module")
def loaded_by_transformers(hub_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What a fresh transformers process makes of every repository (HF_ENDPOINT must be set before import)."""
    jobs = {repo: {"conversations": _conversations(repo), "texts": TEXTS} for repo in TOKENIZER_REPOS}
    environment = {**os.environ, "HF_ENDPOINT": hub_url, "HF_HOME": str(tmp_path_factory.mktemp("hf-home"))}
    environment.pop("HF_HUB_OFFLINE", None)
    completed = subprocess.run(
        [sys.executable, "-c", _TRANSFORMERS_SCRIPT],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        env=environment,
        timeout=240,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def _rendered_or_error(repo: str, messages: list[dict], add_generation_prompt: bool) -> str | dict[str, str]:
    try:
        return render_chat(repo, messages, add_generation_prompt)
    except ChatTemplateError as error:
        return {"error": str(error)}


@pytest.mark.parametrize("repo", TOKENIZER_REPOS)
def test_auto_tokenizer_loads_the_generic_class_unless_forced(
    repo: str, loaded_by_transformers: dict
) -> None:
    assert loaded_by_transformers[repo]["class"] == FORCED_CLASSES.get(repo, "TokenizersBackend")


@pytest.mark.parametrize(
    ("repo", "index"),
    [
        (repo, index)
        for repo in [*CHAT_REPOS, "HuggingFaceM4/idefics2-8b-chatty"]
        for index in range(len(_conversations(repo)))
    ],
)
def test_apply_chat_template_equals_render_chat(repo: str, index: int, loaded_by_transformers: dict) -> None:
    messages, add_generation_prompt = _conversations(repo)[index]
    expected = _rendered_or_error(repo, messages, add_generation_prompt)
    assert loaded_by_transformers[repo]["renders"][index] == expected


def test_gpt2_has_no_chat_template_for_either(loaded_by_transformers: dict) -> None:
    assert "error" in loaded_by_transformers["gpt2"]["renders"][0]
    with pytest.raises(ChatTemplateError, match="no chat template"):
        render_chat("gpt2", [_USER])


@pytest.mark.parametrize("repo", TOKENIZER_REPOS)
def test_auto_tokenizer_ids_equal_engine_tokenize(repo: str, loaded_by_transformers: dict) -> None:
    engine = load_engine("ngram")
    engine_ids = [[token_id for token_id, *_ in engine.tokenize(repo, text)] for text in TEXTS]
    assert loaded_by_transformers[repo]["ids"] == engine_ids
