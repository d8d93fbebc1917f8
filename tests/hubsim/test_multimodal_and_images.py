"""Multimodal chat (image_url data URLs) on an image-text-to-text endpoint; PNGs from a text-to-image one."""

import base64
import io

import httpx2
import pytest
from huggingface_hub import InferenceClient
from huggingface_hub.errors import HfHubHTTPError
from PIL import Image

from tests.hubsim.conftest import DEMO_TOKEN

DEMO = {"Authorization": f"Bearer {DEMO_TOKEN}"}


def data_url(colour: str, size: tuple[int, int] = (64, 48)) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def ask_about(url: str, image_url: str, question: str = "What colour is this picture?") -> dict:
    messages = [
        {
            "role": "user",
            "content": [
                {"type": "image_url", "image_url": {"url": image_url}},
                {"type": "text", "text": question},
            ],
        }
    ]
    response = httpx2.post(
        f"{url}/v1/chat/completions", headers=DEMO, json={"messages": messages, "max_tokens": 60}
    )
    return {"status": response.status_code, **response.json()}


@pytest.fixture
def idefics_url(running_endpoint) -> str:
    return running_endpoint("idefics-test", repository="HuggingFaceM4/idefics2-8b-chatty", task=None).url


@pytest.fixture
def sdxl(running_endpoint):
    return running_endpoint(
        "sdxl-test",
        repository="stabilityai/stable-diffusion-xl-base-1.0",
        task="text-to-image",
        custom_image=None,
    )


def test_the_answer_names_the_colour_of_the_image(idefics_url: str) -> None:
    answers = [
        ask_about(idefics_url, data_url(colour))["choices"][0]["message"]["content"]
        for colour in ("red", "blue")
    ]
    assert ("red" in answers[0], "blue" in answers[1]) == (True, True)


def test_the_inference_client_sends_images_as_data_urls(idefics_url: str) -> None:
    client = InferenceClient(model=idefics_url, token=DEMO_TOKEN)
    messages = [
        {
            "role": "user",
            "content": [
                {"type": "image_url", "image_url": {"url": data_url("green", (128, 64))}},
                {"type": "text", "text": "Describe the image."},
            ],
        }
    ]
    answer = client.chat_completion(messages, max_tokens=60).choices[0].message.content
    assert "128 x 64" in answer


def test_a_streamed_image_answer_equals_the_whole_one(idefics_url: str) -> None:
    client = InferenceClient(model=idefics_url, token=DEMO_TOKEN)
    messages = [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": data_url("red")}}]}]
    whole = client.chat_completion(messages, max_tokens=60).choices[0].message.content
    streamed = "".join(
        chunk.choices[0].delta.content or ""
        for chunk in client.chat_completion(messages, max_tokens=60, stream=True)
    )
    assert streamed == whole


def test_an_image_url_that_is_not_a_data_url_answers_422(idefics_url: str) -> None:
    answer = ask_about(idefics_url, "https://example.com/cat.png")
    assert answer["status"] == 422
    assert "data URL" in answer["error"]


def test_bytes_that_are_no_image_answer_422(idefics_url: str) -> None:
    answer = ask_about(idefics_url, "data:image/png;base64," + base64.b64encode(b"not an image").decode())
    assert (answer["status"], answer["error_type"]) == (422, "validation")


def test_a_text_model_reads_an_image_as_markdown_text(running_endpoint) -> None:
    """TGI writes every message as text before templating: an image part becomes ![](url) (router/src/lib.rs,
    From<Message> for TextMessage), which a text model reads as text."""
    image = data_url("red")
    messages = [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": image}}]}]
    answer = httpx2.post(f"{running_endpoint().url}/chat_tokenize", headers=DEMO, json={"messages": messages})
    assert f"![]({image})" in answer.json()["templated_text"]


def test_text_to_image_answers_a_png_of_the_requested_size(sdxl) -> None:
    image = InferenceClient(model=sdxl.url, token=DEMO_TOKEN).text_to_image(
        "a red barn", width=256, height=256
    )
    assert image.size == (256, 256)


def test_text_to_image_is_deterministic_for_a_seed(sdxl) -> None:
    body = {"inputs": "a red barn", "parameters": {"width": 64, "height": 64, "seed": 5}}
    first = httpx2.post(sdxl.url, headers=DEMO, json=body).content
    assert httpx2.post(sdxl.url, headers=DEMO, json=body).content == first


def test_text_to_image_differs_across_prompts(sdxl) -> None:
    images = [
        httpx2.post(
            sdxl.url,
            headers=DEMO,
            json={"inputs": prompt, "parameters": {"width": 64, "height": 64, "seed": 5}},
        ).content
        for prompt in ("a red barn", "a blue lake")
    ]
    assert images[0] != images[1]


def test_bad_image_sizes_answer_400_with_the_pipeline_message(sdxl) -> None:
    """The toolkit answers 400 {"error": str(exception)}; diffusers refuses sizes not multiple of 8."""
    with pytest.raises(HfHubHTTPError) as caught:
        InferenceClient(model=sdxl.url, token=DEMO_TOKEN).text_to_image("a red barn", width=65, height=65)
    assert caught.value.response.status_code == 400
    assert caught.value.response.json() == {
        "error": "`height` and `width` have to be divisible by 8 but are 65 and 65."
    }


def test_a_text_to_image_endpoint_has_no_tgi_routes(sdxl) -> None:
    assert httpx2.post(f"{sdxl.url}/generate", headers=DEMO, json={"inputs": "hi"}).status_code == 404
