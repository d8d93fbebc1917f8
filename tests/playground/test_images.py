"""Text-to-image: one request per image with consecutive seeds, PNG originals carrying their parameters,
WebP thumbnails, the team gallery with filters and pages, "re-use these settings", members-only files."""

import io
from urllib.parse import urlsplit

from django.test import Client, override_settings
from django.urls import reverse
from PIL import Image

from playground_app.models import GeneratedImage
from tests.playground.fixtures import SDXL, client_of

# Square: the Inference Toolkit's text-to-image refuses a width that differs from the height
# (huggingface-inference-toolkit, diffusers_utils.py).
FORM = {
    "prompt": "a red lighthouse at dusk",
    "negative_prompt": "blurry",
    "width": "512",
    "height": "512",
    "num_inference_steps": "20",
    "guidance_scale": "6.5",
    "seed": "1234",
    "count": "2",
}


def generate(client: Client, endpoint, **fields):
    return client.post(reverse("playground:generate"), {**FORM, "endpoint": endpoint.pk, **fields})


def test_each_image_is_its_own_request_with_the_next_seed(deploy, otto, hubsim) -> None:
    endpoint = deploy("sdxl-batch", SDXL)
    response = generate(otto, endpoint)
    images = list(GeneratedImage.objects.order_by("id"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('playground:images')}?batch={images[0].batch}"
    assert [image.seed for image in images] == [1234, 1235]
    calls = [e for e in hubsim.control.request_log() if e["route"] == "POST /e/{endpoint_id}"]
    assert [e["status"] for e in calls] == [200, 200]


def test_a_scaled_to_zero_endpoint_makes_the_image_after_waking_up(deploy, otto, hubsim) -> None:
    """The wake-up rule of the chat: a first request told 503, the next held until a replica is up."""
    response = generate(otto, deploy("sdxl-zero", SDXL, state="scaledToZero"), count="1")
    assert response.status_code == 302
    assert GeneratedImage.objects.count() == 1
    calls = [e for e in hubsim.control.request_log() if e["route"] == "POST /e/{endpoint_id}"]
    assert [e["status"] for e in calls] == [503, 200]


def test_the_png_original_carries_its_parameters_and_the_thumbnail_is_webp(deploy, otto) -> None:
    generate(otto, deploy("sdxl-files", SDXL), count="1")
    image = GeneratedImage.objects.get()
    original = Image.open(
        io.BytesIO(otto.get(reverse("playground:image_download", args=[image.pk])).getvalue())
    )
    assert (original.format, original.size) == ("PNG", (512, 512))
    assert {key: original.text[key] for key in ("prompt", "negative_prompt", "seed", "guidance_scale")} == {
        "prompt": "a red lighthouse at dusk",
        "negative_prompt": "blurry",
        "seed": "1234",
        "guidance_scale": "6.5",
    }
    thumbnail = Image.open(
        io.BytesIO(otto.get(reverse("playground:image_thumbnail", args=[image.pk])).getvalue())
    )
    assert thumbnail.format == "WEBP" and max(thumbnail.size) == 384


def test_an_empty_seed_is_random_and_shown(deploy, otto) -> None:
    generate(otto, deploy("sdxl-random", SDXL), seed="", count="1")
    image = GeneratedImage.objects.get()
    page = otto.get(f"{reverse('playground:images')}?batch={image.batch}").content.decode()
    assert f'seed <span class="seed">{image.seed}</span>' in page


def test_sizes_must_be_multiples_of_8_within_limits(deploy, otto) -> None:
    response = generate(otto, deploy("sdxl-size", SDXL), width="500", height="4096")
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "width": ["Use a multiple of 8."],
        "height": ["Ensure this value is less than or equal to 2048."],
    }
    assert not GeneratedImage.objects.exists()


def test_reuse_fills_the_form_with_the_images_settings(deploy, otto) -> None:
    generate(otto, deploy("sdxl-reuse", SDXL), count="1")
    image = GeneratedImage.objects.get()
    form = otto.get(f"{reverse('playground:images')}?reuse={image.pk}").context["form"]
    assert form.initial == image.settings
    assert form.initial["seed"] == 1234 and form.initial["prompt"] == "a red lighthouse at dusk"


@override_settings(PLAYGROUND_PAGE_SIZE=2)
def test_the_gallery_is_newest_first_paginated_and_filtered_by_author(deploy, otto, team) -> None:
    endpoint = deploy("sdxl-gallery", SDXL)
    generate(otto, endpoint, count="3")
    generate(client_of(team.admin), endpoint, count="1", prompt="a blue whale")
    newest_first = list(GeneratedImage.objects.order_by("-created_at", "-id"))
    first_page = otto.get(reverse("playground:gallery")).context["page"]
    assert list(first_page.object_list) == newest_first[:2]
    assert first_page.paginator.num_pages == 2
    mine = otto.get(reverse("playground:gallery"), {"author": team.operator.pk}).context["page"]
    assert {image.author for image in mine.paginator.object_list} == {team.operator}
    by_endpoint = otto.get(reverse("playground:gallery"), {"endpoint": "demo/sdxl-gallery"}).context["page"]
    assert by_endpoint.paginator.count == 4


def test_image_files_are_served_to_logged_in_members_only(deploy, otto) -> None:
    generate(otto, deploy("sdxl-private", SDXL), count="1")
    image = GeneratedImage.objects.get()
    url = reverse("playground:image_original", args=[image.pk])
    assert otto.get(url).status_code == 200
    assert Client().get(url).status_code == 302  # to the login page


def test_an_unreachable_endpoint_is_reported_in_the_form(deploy, otto, hubsim) -> None:
    endpoint = deploy("sdxl-down", SDXL)
    hubsim.control.inject_fault("POST", "/e/*", 500, message="out of memory")
    response = generate(otto, endpoint, count="1")
    assert response.context["form"].non_field_errors() == ["The model failed (HTTP 500): out of memory"]


def test_only_the_author_or_an_admin_deletes_an_image(deploy, otto, team) -> None:
    generate(otto, deploy("sdxl-delete", SDXL), count="1")
    image = GeneratedImage.objects.get()
    assert client_of(team.viewer).post(reverse("playground:image_delete", args=[image.pk])).status_code == 403
    assert client_of(team.admin).post(reverse("playground:image_delete", args=[image.pk])).status_code == 302
    assert not GeneratedImage.objects.exists()


def test_two_endpoints_draw_the_same_prompt_and_seed_side_by_side(deploy, otto, hubsim) -> None:
    first, second = deploy("sdxl-left", SDXL), deploy("sdxl-right", SDXL)
    form = {**FORM, "endpoint": first.pk, "other_endpoint": second.pk, "seed": ""}
    response = otto.post(reverse("playground:compare_images"), form)
    assert response.status_code == 302, response.content
    left, right = GeneratedImage.objects.order_by("endpoint_label")
    assert (left.endpoint, right.endpoint) == (first, second)
    assert left.seed == right.seed and left.prompt == right.prompt == FORM["prompt"]
    assert response["Location"] == f"{reverse('playground:gallery_compare')}?a={left.pk}&b={right.pk}"
    page = otto.get(response["Location"]).content.decode()
    for image in (left, right):
        assert image.endpoint_label in page and reverse("playground:image_original", args=[image.pk]) in page
    assert page.count(f'<dd class="seed">{left.seed}</dd>') == 2


def test_image_compare_needs_two_different_endpoints(deploy, otto) -> None:
    endpoint, _other = deploy("sdxl-same", SDXL), deploy("sdxl-other", SDXL)
    form = {**FORM, "endpoint": endpoint.pk, "other_endpoint": endpoint.pk}
    response = otto.post(reverse("playground:compare_images"), form)
    assert response.status_code == 200 and "Choose two different endpoints." in response.content.decode()
    assert not GeneratedImage.objects.exists()


def test_when_one_side_of_an_image_compare_fails_the_other_image_is_kept(deploy, otto, hubsim) -> None:
    kept, failing = deploy("sdxl-kept", SDXL), deploy("sdxl-failing", SDXL)
    hubsim.control.inject_fault("POST", f"{urlsplit(failing.url).path}*", 500, message="out of memory")
    form = {**FORM, "endpoint": kept.pk, "other_endpoint": failing.pk}
    response = otto.post(reverse("playground:compare_images"), form)
    assert response.context["form"].non_field_errors() == ["The model failed (HTTP 500): out of memory"]
    assert [image.endpoint for image in GeneratedImage.objects.all()] == [kept]  # in the gallery
