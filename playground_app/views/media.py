"""Files under MEDIA_ROOT, served by views (so only logged-in members see them), never by a public URL."""

from django.db.models.fields.files import FieldFile
from django.http import HttpResponse

PRIVATE_CACHE = "private, max-age=86400"  # a stored image never changes; only this browser may keep it


def stored_file(field: FieldFile, content_type: str, *, download_as: str = "") -> HttpResponse:
    """The whole file in one response (images are small; a sync file iterator would block under ASGI)."""
    with field.open("rb") as stored:
        response = HttpResponse(stored.read(), content_type=content_type)
    response["Cache-Control"] = PRIVATE_CACHE
    if download_as:
        response["Content-Disposition"] = f'attachment; filename="{download_as}"'
    return response
