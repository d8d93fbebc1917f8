"""SGLang and llama.cpp endpoints: their OpenAI-compatible routes read by huggingface_hub's InferenceClient
and the openai client, their own routes and error bodies, and their metrics (SGLang's sglang:* names;
llama.cpp's tools/server/server.cpp: {"error": {"code", "message", "type"}}, llamacpp:* metrics)."""

import re

import httpx2
import openai
import pytest
from huggingface_hub import InferenceClient, hf_hub_download
from huggingface_hub.errors import HfHubHTTPError
from prometheus_client.parser import text_string_to_metric_families

from tests.hubsim.conftest import ENGINE_REPOS

MESSAGES = [{"role": "user", "content": "Tell me about the planets."}]
GGUF_REPO = "Qwen/Qwen2.5-0.5B-Instruct-GGUF"


def metric_values(text: str) -> dict[str, float]:
    return {
        sample.name: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


@pytest.mark.parametrize("engine", ["tgi", "vllm", "sglang", "llamacpp"])
def test_the_inference_client_chats_with_every_openai_compatible_engine(engine_url, engine: str) -> None:
    client = InferenceClient(model=engine_url(engine))
    # Given a URL, the client sends "model": "dummy", which vLLM refuses unless it is the served name.
    named = {"model": ENGINE_REPOS["vllm"]} if engine == "vllm" else {}
    answer = client.chat_completion(MESSAGES, max_tokens=8, temperature=0.5, seed=2, **named)
    streamed = "".join(
        chunk.choices[0].delta.content or ""
        for chunk in client.chat_completion(MESSAGES, max_tokens=8, stream=True, seed=2, **named)
        if chunk.choices
    )
    assert answer.choices[0].message.content.strip() and streamed.strip()


def test_vllm_refuses_the_name_the_inference_client_sends_for_a_url(engine_url) -> None:
    with pytest.raises(HfHubHTTPError, match=re.escape("The model `dummy` does not exist.")):
        InferenceClient(model=engine_url("vllm")).chat_completion(MESSAGES, max_tokens=3)


def test_sglang_echoes_the_requested_model_and_ignores_another_name(engine_url) -> None:
    client = openai.OpenAI(base_url=f"{engine_url('sglang')}/v1", api_key="none")
    answer = client.chat.completions.create(model="anything", messages=MESSAGES, max_tokens=3)
    assert answer.model == "anything"


def test_sglang_errors_are_its_flat_error_response(engine_url) -> None:
    response = httpx2.post(
        f"{engine_url('sglang')}/v1/chat/completions", json={"messages": MESSAGES, "top_p": 2}
    )
    assert (response.status_code, response.json()) == (
        400,
        {
            "object": "error",
            "message": "top_p must be in (0, 1], got 2.",
            "type": "BadRequestError",
            "param": None,
            "code": 400,
        },
    )


def test_sglang_native_generate_reports_its_meta_info(engine_url) -> None:
    body = {"text": "The sky", "sampling_params": {"max_new_tokens": 4, "temperature": 0}}
    answer = httpx2.post(f"{engine_url('sglang')}/generate", json=body).json()
    assert answer["meta_info"]["finish_reason"] == {"type": "length", "length": 4}
    assert answer["meta_info"]["completion_tokens"] == 4 and answer["text"]


def test_sglang_counts_requests_under_its_names(engine_url) -> None:
    url = engine_url("sglang")
    httpx2.post(f"{url}/v1/completions", json={"prompt": "The sky", "max_tokens": 3, "temperature": 0})
    values = metric_values(httpx2.get(f"{url}/metrics").text)
    assert (values["sglang:num_requests_total"], values["sglang:generation_tokens_total"]) == (1, 3)


def test_llamacpp_streams_a_role_chunk_then_an_empty_finishing_delta(engine_url) -> None:
    client = openai.OpenAI(base_url=f"{engine_url('llamacpp')}/v1", api_key="none")
    chunks = list(
        client.chat.completions.create(model="x", messages=MESSAGES, max_tokens=4, temperature=0, stream=True)
    )
    first, last = chunks[0].choices[0], chunks[-1].choices[0]
    assert (first.delta.role, first.delta.content) == ("assistant", None)
    assert (last.delta.content, last.finish_reason) == (None, "length")
    assert chunks[0].system_fingerprint.startswith("b")


def test_llamacpp_names_the_model_by_its_gguf_path(engine_url) -> None:
    models = httpx2.get(f"{engine_url('llamacpp')}/v1/models").json()
    assert models["data"][0]["id"] == "/repository/qwen2.5-0.5b-instruct-q4_k_m.gguf"
    assert models["data"][0]["owned_by"] == "llamacpp"


def test_llamacpp_native_completion_and_tokenize(engine_url) -> None:
    url = engine_url("llamacpp")
    answer = httpx2.post(
        f"{url}/completion", json={"prompt": "The sky", "n_predict": 3, "temperature": 0}
    ).json()
    assert (answer["stop"], answer["stop_type"], answer["tokens_predicted"]) == (True, "limit", 3)
    tokens = httpx2.post(f"{url}/tokenize", json={"content": "The sky", "with_pieces": True}).json()["tokens"]
    assert "".join(token["piece"] for token in tokens) == "The sky"
    assert httpx2.get(f"{url}/health").json() == {"status": "ok"}


def test_llamacpp_refuses_embeddings_it_was_not_started_for(engine_url) -> None:
    response = httpx2.post(f"{engine_url('llamacpp')}/v1/embeddings", json={"input": "hi"})
    assert (response.status_code, response.json()) == (
        501,
        {
            "error": {
                "code": 501,
                "message": "This server does not support embeddings. Start it with `--embeddings`",
                "type": "not_supported_error",
            }
        },
    )


def test_llamacpp_metrics_count_tokens_not_requests(engine_url) -> None:
    url = engine_url("llamacpp")
    first = httpx2.post(f"{url}/completion", json={"prompt": "The sky", "n_predict": 3}).json()
    second = httpx2.post(f"{url}/completion", json={"prompt": "The sea", "n_predict": 3}).json()
    values = metric_values(httpx2.get(f"{url}/metrics").text)
    # (a generation may end on its end-of-sequence token before n_predict: count what was predicted)
    assert values["llamacpp:tokens_predicted_total"] == first["tokens_predicted"] + second["tokens_predicted"]
    assert values["llamacpp:prompt_tokens_total"] == first["tokens_evaluated"] + second["tokens_evaluated"]
    assert not any("request" in name and "total" in name for name in values)


def test_the_gguf_repository_serves_gguf_headers(hubsim, tmp_path) -> None:
    path = hf_hub_download(GGUF_REPO, "qwen2.5-0.5b-instruct-q4_k_m.gguf", cache_dir=tmp_path)
    with open(path, "rb") as file:
        assert file.read(8) == b"GGUF\x03\x00\x00\x00"  # the magic and version 3 (ggml's docs/gguf.md)
