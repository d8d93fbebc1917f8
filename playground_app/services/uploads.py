"""Images uploaded for multimodal questions: checked, re-encoded with Pillow (no EXIF or other metadata
survives), kept under MEDIA_ROOT and sent to the endpoint as a data URL."""

import base64
import io
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

from playground_app.models import Upload
from playground_app.services.access import require_playground

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_SIDE = 2048  # larger images are scaled down: the data URL travels with every question about them


class UploadRefused(ValueError):
    """The file is not an image we accept; `str(error)` says why."""


def save_upload(user: AbstractBaseUser, uploaded: UploadedFile) -> Upload:
    require_playground(user)
    if uploaded.size > settings.PLAYGROUND_UPLOAD_MAX_BYTES:
        raise UploadRefused(
            f"The image is larger than {filesizeformat(settings.PLAYGROUND_UPLOAD_MAX_BYTES)}."
        )
    image = _open(uploaded)
    data, content_type = _reencode(image)
    upload = Upload(
        author=user,
        content_type=content_type,
        width=image.width,
        height=image.height,
        original_name=(uploaded.name or "")[:200],
    )
    extension = "png" if content_type == "image/png" else "jpg"
    upload.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(data), save=False)
    upload.save()
    return upload


def _open(uploaded: UploadedFile) -> Image.Image:
    try:
        image = Image.open(uploaded)
        if image.format not in ACCEPTED_FORMATS:
            raise UploadRefused("Only JPEG, PNG, WebP and GIF images are accepted.")
        # Counted from the header, before decoding: a few people uploading at once must not take gigabytes.
        if image.width * image.height > settings.PLAYGROUND_IMAGE_MAX_PIXELS:
            raise UploadRefused(
                f"The image has too many pixels ({image.width} x {image.height}; at most "
                f"{settings.PLAYGROUND_IMAGE_MAX_PIXELS:,})."
            )
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise UploadRefused("The file is not a readable image.") from error
    # Apply the EXIF orientation to the pixels, since the EXIF block itself is dropped.
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    return image


def _reencode(image: Image.Image) -> tuple[bytes, str]:
    """PNG when there is transparency, JPEG otherwise: a new file, without the metadata of the original."""
    buffer = io.BytesIO()
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        image.convert("RGBA").save(buffer, format="PNG", optimize=True)
        return buffer.getvalue(), "image/png"
    image.convert("RGB").save(buffer, format="JPEG", quality=90)
    return buffer.getvalue(), "image/jpeg"


def delete_unused_uploads(now: datetime) -> int:
    """Deletes the uploads no message refers to, older than PLAYGROUND_UPLOAD_UNUSED_HOURS (an image chosen
    and never sent, or whose conversation was deleted), files included. Returns how many."""
    cutoff = now - timedelta(hours=settings.PLAYGROUND_UPLOAD_UNUSED_HOURS)
    unused = Upload.objects.filter(created_at__lt=cutoff, messages__isnull=True)
    deleted = 0
    for upload in unused.iterator():
        upload.file.delete(save=False)
        upload.delete()
        deleted += 1
    return deleted


def data_url(upload: Upload) -> str:
    with upload.file.open("rb") as stored:
        encoded = base64.b64encode(stored.read()).decode("ascii")
    return f"data:{upload.content_type};base64,{encoded}"
