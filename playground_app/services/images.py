"""Images from text-to-image endpoints: one request per image (each with its own seed), saved with Pillow
as a PNG original carrying its parameters in text chunks, plus a WebP thumbnail for the gallery."""

import io
import secrets
import uuid
from dataclasses import asdict, replace

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from PIL import Image, PngImagePlugin, UnidentifiedImageError

from endpoints_app.models import Endpoint
from endpoints_app.services.activity import record_activity
from playground_app import png_text
from playground_app.database_trips import database_trip
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


@database_trip
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
        images.append(await database_trip(save_image)(user, endpoint, image_parameters, png, batch))
    return images


async def _request_image(target: EndpointTarget, parameters: ImageParameters) -> bytes:
    """One image, once the endpoint is awake (a scaled-to-zero one answers 503 while it wakes up)."""
    return await post_when_awake(target, "", parameters.request_body(), {"Accept": "image/png"})


def save_image(
    user: AbstractBaseUser, endpoint: Endpoint, parameters: ImageParameters, data: bytes, batch: uuid.UUID
) -> GeneratedImage:
    image = decoded(data, endpoint.full_name)
    thumbnail = thumbnail_webp(image)
    record = GeneratedImage(
        author=user,
        endpoint=endpoint,
        endpoint_label=endpoint.full_name,
        repository=endpoint.repository,
        batch=batch,
        **asdict(parameters),
    )
    name = uuid.uuid4().hex
    original = original_png(data, image, parameters, endpoint)
    record.original.save(f"{name}.png", ContentFile(original), save=False)
    record.thumbnail.save(f"{name}.webp", ContentFile(thumbnail), save=False)
    record.save()
    record_image(user, endpoint)
    return record


def decoded(data: bytes, label: str) -> Image.Image:
    """The image an endpoint answered, decoded; UpstreamError, saying why, for anything Pillow cannot read or
    that has more than PLAYGROUND_IMAGE_MAX_PIXELS pixels (counted from the header, before decoding: a small
    file can declare a huge image)."""
    try:
        image = Image.open(io.BytesIO(data))
        pixels = image.width * image.height
        if pixels > settings.PLAYGROUND_IMAGE_MAX_PIXELS:
            raise UpstreamError(
                f"{label} answered an image of {image.width} x {image.height} pixels; the playground takes "
                f"at most {settings.PLAYGROUND_IMAGE_MAX_PIXELS:,} pixels."
            )
        image.load()
    except Image.DecompressionBombError as error:
        raise UpstreamError(f"{label} answered an image too large to decode ({error}).") from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as error:
        # Pillow's decoders report a damaged file as any of these (SyntaxError: a broken PNG chunk).
        raise UpstreamError(f"{label} did not answer with an image Pillow can read: {error}") from error
    return image


def original_png(data: bytes, image: Image.Image, parameters: ImageParameters, endpoint: Endpoint) -> bytes:
    """The image (`data`, decoded as `image`) as a PNG carrying its parameters in text chunks. A PNG answer
    keeps its pixels as sent (only the chunks are added); any other format is converted."""
    chunks = {**parameters.text_chunks(), "endpoint": endpoint.full_name, "model": endpoint.repository}
    if png_text.is_png(data):
        return png_text.with_text(data, chunks)
    info = PngImagePlugin.PngInfo()
    for key, value in chunks.items():
        info.add_itxt(key, value)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info)
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
