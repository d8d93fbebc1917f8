"""The tutorial's programmatic steps, run with the real huggingface_hub, transformers and plain HTTP against
a live hubsim (shared/seed/dedicated-inference-endpoints-tutorial.md).

Changed from the tutorial: the token, the namespace, ``type="authenticated"`` (the client refuses
"protected") and the base URLs. ``wait()`` polls every 0.1 s instead of 5 s, as hubsim deploys in 0.3 s.
"""

import io

import httpx2
import huggingface_hub
from huggingface_hub import InferenceClient, create_inference_endpoint
from PIL import Image
from transformers import AutoTokenizer

from tests.hubsim.conftest import DEMO_TOKEN

NAMESPACE = "demo"
MODEL_ID = "google/gemma-1.1-2b-it"
MESSAGES = [{"role": "user", "content": "Please write a short poem about open source for me."}]


def test_tutorial_walkthrough_with_the_real_clients(logged_in: None) -> None:
    # Listing and managing existing endpoints.
    assert huggingface_hub.list_inference_endpoints() == []

    # Creating an endpoint programmatically.
    endpoint_name = "gemma-1-1-2b-it-001"
    available_endpoints_names = [endpoint.name for endpoint in huggingface_hub.list_inference_endpoints()]
    assert endpoint_name not in available_endpoints_names
    endpoint = create_inference_endpoint(
        endpoint_name,
        repository=MODEL_ID,
        namespace=NAMESPACE,
        framework="pytorch",
        task="text-generation",
        accelerator="gpu",
        vendor="aws",
        region="us-east-1",
        instance_size="x1",
        instance_type="nvidia-a10g",
        min_replica=0,
        max_replica=1,
        type="authenticated",
        custom_image={
            "health_route": "/health",
            "env": {"MODEL_ID": "/repository"},
            "url": "ghcr.io/huggingface/text-generation-inference:latest",
        },
    )
    assert endpoint.status == "pending"
    endpoint.wait(timeout=30, refresh_every=0.1)
    assert endpoint.status == "running"

    fetched = huggingface_hub.get_inference_endpoint(name=endpoint_name, namespace=NAMESPACE)
    assert (fetched.repository, fetched.task, fetched.url) == (MODEL_ID, "text-generation", endpoint.url)

    # Standard HTTP request with the prompt from the model's chat template.
    api_url = endpoint.url
    headers = {"Authorization": f"Bearer {huggingface_hub.get_token()}"}
    tokenizer = AutoTokenizer.from_pretrained(MODEL_ID)
    messages_with_template = tokenizer.apply_chat_template(MESSAGES, tokenize=False)
    assert messages_with_template.startswith("<bos><start_of_turn>user\nPlease write a short poem")
    raw = httpx2.post(
        api_url,
        headers=headers,
        json={
            "inputs": messages_with_template,
            "parameters": {"temperature": 0.2, "max_new_tokens": 100, "seed": 42, "return_full_text": False},
        },
    ).json()
    assert raw[0]["generated_text"].strip()

    # The OpenAI-compatible messages API with a plain HTTP client.
    chat = httpx2.post(
        api_url + "/v1/chat/completions",
        headers=headers,
        json={
            "messages": MESSAGES,
            "model": "tgi",
            "parameters": {"temperature": 0.2, "max_tokens": 100, "seed": 42},
        },
    ).json()
    assert chat["choices"][0]["message"]["role"] == "assistant"
    assert chat["choices"][0]["message"]["content"].strip()

    # InferenceClient: chat_completion (whole and streamed) and text_generation.
    client = InferenceClient()
    output = client.chat_completion(MESSAGES, model=api_url, temperature=0.2, max_tokens=100, seed=42)
    streamed = client.chat_completion(
        MESSAGES, model=api_url, temperature=0.2, max_tokens=100, seed=42, stream=True
    )
    assert (
        "".join(chunk.choices[0].delta.content or "" for chunk in streamed)
        == output.choices[0].message.content
    )
    assert client.text_generation(messages_with_template, model=api_url, max_new_tokens=20).strip()

    # Pause to stop billing, then resume and wait until ready.
    endpoint.pause()
    assert endpoint.status == "paused"
    endpoint.resume()
    endpoint.wait(timeout=30, refresh_every=0.1)
    assert endpoint.status == "running"

    # Update the hardware.
    endpoint.update(instance_size="x1", instance_type="nvidia-a100")
    assert endpoint.status == "updating"
    endpoint.wait(timeout=30, refresh_every=0.1)
    assert endpoint.raw["compute"]["instanceType"] == "nvidia-a100"

    # Image generation with Stable Diffusion.
    sdxl = create_inference_endpoint(
        "stable-diffusion-xl-base-1-0-001",
        repository="stabilityai/stable-diffusion-xl-base-1.0",
        namespace=NAMESPACE,
        framework="pytorch",
        task="text-to-image",
        accelerator="gpu",
        vendor="aws",
        region="us-east-1",
        instance_size="x1",
        instance_type="nvidia-a100",
        min_replica=0,
        max_replica=1,
        type="authenticated",
    )
    sdxl.wait(timeout=30, refresh_every=0.1)
    image = client.text_to_image(
        "A red lighthouse on a cliff at sunset", model=sdxl.url, width=512, height=512
    )
    assert isinstance(image, Image.Image)
    assert image.size == (512, 512)

    # Clean up.
    sdxl.delete()
    endpoint.delete()
    assert huggingface_hub.list_inference_endpoints() == []


def test_text_to_image_answers_png_bytes(logged_in: None, running_endpoint) -> None:
    sdxl = running_endpoint(
        "sdxl-png",
        repository="stabilityai/stable-diffusion-xl-base-1.0",
        task="text-to-image",
        custom_image=None,
    )
    response = httpx2.post(
        sdxl.url,
        headers={"Authorization": f"Bearer {DEMO_TOKEN}", "Accept": "image/png"},
        json={"inputs": "a blue square", "parameters": {"width": 64, "height": 64, "seed": 1}},
    )
    assert response.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (64, 64)
