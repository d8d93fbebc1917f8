"""Images from text-to-image endpoints: one request per image (each with its own seed), saved with Pillow
as a PNG original carrying its parameters in text chunks, plus a WebP thumbnail for the gallery."""

import io
import secrets
import uuid
from dataclasses import asdict, replace

from asgiref.sync import sync_to_async
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from PIL import Image, PngImagePlugin, UnidentifiedImageError

from endpoints_app.models import Endpoint
from endpoints_app.services.activity import record_activity
from playground_app import png_text
from playground_app.models import GeneratedImage
from playground_app.parameters import SEED_RANGE, ImageParameters
from playground_app.services.access import require_manage, require_playground
from playground_app.upstream import EndpointTarget, UpstreamError, post_when_awake, require_queryable
from playground_app.usage import record_image

TEXT_TO_IMAGE_TASK = "text-to-image"
THUMBNAIL_SIDE = 384


def random_seed() -> int:
    return secrets.randbelow(SEED_RANGE[1] + 1)


def seeds_for(seed: int | None, count: int) -> list[int]:
    """The seed of each image: consecutive from a chosen one (reproducible), else a random start."""
    first = random_seed() if seed is None else seed
    return [(first + offset) % (SEED_RANGE[1] + 1) for offset in range(count)]


@sync_to_async
def _target(user: AbstractBaseUser, endpoint: Endpoint) -> EndpointTarget:
    require_playground(user)
    if endpoint.task != TEXT_TO_IMAGE_TASK:
        raise UpstreamError(f"{endpoint.full_name} does not make images: choose a text-to-image endpoint.")
    require_queryable(endpoint)
    target = EndpointTarget.of(endpoint)
    record_activity(endpoint)
    return target


async def generate_images(
    user: AbstractBaseUser, endpoint: Endpoint, parameters: ImageParameters, seed: int | None, count: int
) -> list[GeneratedImage]:
    """Asks for `count` images, one request each; raises UpstreamError if one fails (the images made before
    it are kept)."""
    target = await _target(user, endpoint)
    batch = uuid.uuid4()
    images = []
    for image_seed in seeds_for(seed, count):
        image_parameters = replace(parameters, seed=image_seed)
        png = await _request_image(target, image_parameters)
        images.append(await sync_to_async(save_image)(user, endpoint, image_parameters, png, batch))
    return images


async def _request_image(target: EndpointTarget, parameters: ImageParameters) -> bytes:
    """One image, once the endpoint is awake (a scaled-to-zero one answers 503 while it wakes up)."""
    response = await post_when_awake(target, "", parameters.request_body(), {"Accept": "image/png"})
    return response.content


def save_image(
    user: AbstractBaseUser, endpoint: Endpoint, parameters: ImageParameters, data: bytes, batch: uuid.UUID
) -> GeneratedImage:
    try:
        thumbnail = thumbnail_webp(Image.open(io.BytesIO(data)))
    except (UnidentifiedImageError, OSError) as error:
        raise UpstreamError(f"{endpoint.full_name} did not answer with an image.") from error
    record = GeneratedImage(
        author=user,
        endpoint=endpoint,
        endpoint_label=endpoint.full_name,
        repository=endpoint.repository,
        batch=batch,
        **asdict(parameters),
    )
    name = uuid.uuid4().hex
    record.original.save(f"{name}.png", ContentFile(original_png(data, parameters, endpoint)), save=False)
    record.thumbnail.save(f"{name}.webp", ContentFile(thumbnail), save=False)
    record.save()
    record_image(user, endpoint)
    return record


def original_png(data: bytes, parameters: ImageParameters, endpoint: Endpoint) -> bytes:
    """The image as a PNG carrying its parameters in text chunks. A PNG answer keeps its pixels as sent
    (only the chunks are added); any other format is converted."""
    chunks = {**parameters.text_chunks(), "endpoint": endpoint.full_name, "model": endpoint.repository}
    if png_text.is_png(data):
        return png_text.with_text(data, chunks)
    info = PngImagePlugin.PngInfo()
    for key, value in chunks.items():
        info.add_itxt(key, value)
    buffer = io.BytesIO()
    Image.open(io.BytesIO(data)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def thumbnail_webp(image: Image.Image) -> bytes:
    """Decodes the image (which proves it is one) and makes the gallery's small WebP of it.

    Decoding is most of the cost of saving an image; the resize and the encoder's speed settings are chosen
    for the rest to stay small (a 1024x1024 original: about 7 ms to resize, 4 ms to encode).
    """
    thumbnail = image if image.mode == "RGB" else image.convert("RGB")
    thumbnail.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), reducing_gap=None)
    buffer = io.BytesIO()
    thumbnail.save(buffer, format="WEBP", quality=80, method=2)
    return buffer.getvalue()


def delete_image(user: AbstractBaseUser, image: GeneratedImage) -> None:
    require_manage(user, image.author_id, "delete this image")
    image.original.delete(save=False)
    image.thumbnail.delete(save=False)
    image.delete()
