"""Endpoints on the default image run the Inference Toolkit (huggingface-inference-toolkit 0.5.6:
webservice_starlette.py's predict, serialization/, diffusers_utils.py): content negotiation by Accept,
400 {"error"} for every failure, square images only, and the task's pipeline behind POST /."""

import base64
import io

import httpx2
import pytest
from huggingface_hub import InferenceClient
from PIL import Image

BODY = {"inputs": "a red barn in a green field", "parameters": {"width": 64, "height": 64, "seed": 3}}


@pytest.fixture
def url(engine_url) -> str:
    return engine_url("toolkit")


def test_the_inference_client_gets_a_png_of_the_square_size_asked(url) -> None:
    image = InferenceClient(model=url).text_to_image(
        "a lighthouse", width=128, height=128, num_inference_steps=5
    )
    assert image.size == (128, 128)


def test_without_accept_the_image_is_a_base64_png_in_json(url) -> None:
    response = httpx2.post(url, json=BODY, headers={"Accept": "*/*"})
    assert response.headers["content-type"] == "application/json"
    image = Image.open(io.BytesIO(base64.b64decode(response.json())))
    assert (image.format, image.size) == ("PNG", (64, 64))


def test_accept_chooses_the_image_format(url) -> None:
    response = httpx2.post(url, json=BODY, headers={"Accept": "image/jpeg"})
    assert response.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(response.content)).format == "JPEG"


@pytest.mark.parametrize(
    ("accept", "error"),
    [
        ("image/jpg", "'JPG'"),  # Imager saves with format "JPG", which PIL does not know
        ("text/plain", "'NoneType' object has no attribute 'serialize'"),
    ],
)
def test_accept_types_the_toolkit_lists_but_cannot_write_answer_400(url, accept: str, error: str) -> None:
    response = httpx2.post(url, json=BODY, headers={"Accept": accept})
    assert (response.status_code, response.json()) == (400, {"error": error})


def test_an_unknown_accept_type_is_refused(url) -> None:
    response = httpx2.post(url, json=BODY, headers={"Accept": "application/xml"})
    assert response.status_code == 400
    assert 'Accept type "application/xml" not supported.' in response.json()["error"]


def test_a_width_other_than_the_height_is_refused(url) -> None:
    body = {"inputs": "a barn", "parameters": {"width": 512, "height": 384}}
    response = httpx2.post(url, json=body)
    assert (response.status_code, response.json()) == (
        400,
        {
            "error": "Provided `height=384` and `width=512`,"
            " but either both must have a value or both must be None (or not provided)."
        },
    )


def test_a_body_without_inputs_is_refused(url) -> None:
    response = httpx2.post(url, json={"prompt": "a barn"})
    assert (response.status_code, response.json()) == (
        400,
        {"error": 'Body needs to provide a inputs key, received: b\'{"prompt":"a barn"}\''},
    )


def test_a_body_that_is_not_json_is_refused_by_its_content_type(url) -> None:
    response = httpx2.post(
        url, content=b"a barn", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 400
    assert 'Content type "application/x-www-form-urlencoded" not supported.' in response.json()["error"]


def test_an_unknown_pipeline_argument_is_refused(url) -> None:
    response = httpx2.post(url, json={"inputs": "a barn", "parameters": {"strength": 0.5}})
    assert response.json() == {
        "error": "StableDiffusionXLPipeline.__call__() got an unexpected keyword argument 'strength'"
    }


def test_health_metrics_and_the_absence_of_other_routes(url) -> None:
    assert httpx2.get(f"{url}/health").text == "Ok"
    assert httpx2.get(f"{url}/metrics").text == "inf_batch_current_size 0\ninf_queue_size 0\n"
    assert httpx2.post(f"{url}/v1/chat/completions", json={}).status_code == 404


def test_a_text_generation_model_on_the_default_image_runs_the_transformers_pipeline(engine_url) -> None:
    url = engine_url("toolkit", repository="gpt2", task="text-generation")
    answer = httpx2.post(url, json={"inputs": "The garden", "parameters": {"max_new_tokens": 5}}).json()
    assert answer[0]["generated_text"].startswith("The garden")
    assert httpx2.post(f"{url}/v1/chat/completions", json={"messages": []}).status_code == 404


def test_feature_extraction_on_the_default_image_gives_a_vector_per_token(engine_url) -> None:
    """transformers' feature-extraction pipeline: [batch][tokens][hidden], not one pooled vector."""
    url = engine_url("toolkit", repository="BAAI/bge-small-en-v1.5", task="feature-extraction")
    vectors = httpx2.post(url, json={"inputs": "Bake the bread"}).json()
    assert (len(vectors), len(vectors[0][0])) == (1, 384) and len(vectors[0]) > 2
