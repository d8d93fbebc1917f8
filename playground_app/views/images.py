"""Images: the form and its results, generation (async: one request per image), the same prompt and seed on
two endpoints side by side, the team gallery, files."""

import asyncio
import uuid

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboard import rate_limits
from endpoints_app.roles import USE_PLAYGROUND, requires
from playground_app.forms import GalleryFilterForm, ImageCompareForm, ImageForm
from playground_app.models import GeneratedImage
from playground_app.services.access import can_manage
from playground_app.services.endpoints import image_endpoints
from playground_app.services.images import delete_image, generate_images, random_seed
from playground_app.upstream import EndpointNotUsable, UpstreamError
from playground_app.views.media import stored_file


def _images_page(request: HttpRequest, form: ImageForm, batch: list[GeneratedImage]) -> HttpResponse:
    context = {"form": form, "batch": batch, "endpoints": list(image_endpoints())}
    return TemplateResponse(request, "playground_app/images.html", context)


@requires(USE_PLAYGROUND)
@require_GET
def images(request: HttpRequest) -> HttpResponse:
    """The image form; `?reuse=<id>` fills it with an image's settings, `?batch=<uuid>` shows new results."""
    initial = {}
    reused = request.GET.get("reuse", "")
    if reused.isdecimal():  # what int() takes: not "²", which isdigit() accepts
        initial = get_object_or_404(GeneratedImage, pk=reused).settings
    batch_id = request.GET.get("batch", "")
    batch = list(GeneratedImage.objects.filter(batch=batch_id).order_by("id")) if _is_uuid(batch_id) else []
    if batch and not initial:
        initial = batch[-1].settings
    return _images_page(request, ImageForm(initial=initial), batch)


def _is_uuid(value: str | None) -> bool:
    try:
        uuid.UUID(value or "")
    except ValueError:
        return False
    return True


@requires(USE_PLAYGROUND)
@require_POST
async def generate(request: HttpRequest) -> HttpResponse:
    form = ImageForm(request.POST)
    if not await sync_to_async(form.is_valid)():
        return await sync_to_async(_images_page)(request, form, [])
    user = await request.auser()
    if not await rate_limits.allow_async(rate_limits.PLAYGROUND_SENDS, user.pk):
        form.add_error(None, rate_limits.PLAYGROUND_SENDS.refusal())
        return await sync_to_async(_images_page)(request, form, [])
    data = form.cleaned_data
    try:
        made = await generate_images(
            user, data["endpoint"], form.image_parameters(), data.get("seed"), data["count"]
        )
    except (UpstreamError, EndpointNotUsable) as error:
        form.add_error(None, str(error))
        return await sync_to_async(_images_page)(request, form, [])
    return redirect(f"{reverse('playground:images')}?batch={made[0].batch}")


def _compare_page(request: HttpRequest, form: ImageCompareForm) -> HttpResponse:
    context = {"form": form, "endpoints": list(image_endpoints())}
    return TemplateResponse(request, "playground_app/image_compare.html", context)


@requires(USE_PLAYGROUND)
@require_http_methods(["GET", "POST"])
async def compare_images(request: HttpRequest) -> HttpResponse:
    """The same prompt and seed on two text-to-image endpoints at once, shown side by side."""
    if request.method == "GET":
        return await sync_to_async(_compare_page)(request, ImageCompareForm())
    form = ImageCompareForm(request.POST)
    if not await sync_to_async(form.is_valid)():
        return await sync_to_async(_compare_page)(request, form)
    user = await request.auser()
    if not await rate_limits.allow_async(rate_limits.PLAYGROUND_SENDS, user.pk):
        form.add_error(None, rate_limits.PLAYGROUND_SENDS.refusal())
        return await sync_to_async(_compare_page)(request, form)
    data = form.cleaned_data
    seed = random_seed() if data.get("seed") is None else data["seed"]  # one seed for both
    # Both generations end before the view does, a failed one too: a task left running past the view could not
    # save its image (the request's thread is gone, dashboard/middleware.py).
    made = await asyncio.gather(
        *(
            generate_images(user, endpoint, form.image_parameters(), seed, 1)
            for endpoint in (data["endpoint"], data["other_endpoint"])
        ),
        return_exceptions=True,
    )
    failure = next((outcome for outcome in made if isinstance(outcome, BaseException)), None)
    if isinstance(failure, UpstreamError | EndpointNotUsable):
        form.add_error(None, str(failure))
        return await sync_to_async(_compare_page)(request, form)
    if failure is not None:
        raise failure
    first, second = (images[0] for images in made)
    return redirect(f"{reverse('playground:gallery_compare')}?a={first.pk}&b={second.pk}")


@requires(USE_PLAYGROUND)
@require_GET
def gallery_compare(request: HttpRequest) -> HttpResponse:
    """Two images of the gallery side by side (`?a=<id>&b=<id>`)."""
    ids = [request.GET.get(name, "") for name in ("a", "b")]
    if not all(value.isdecimal() for value in ids):
        return redirect("playground:gallery")
    pair = [get_object_or_404(GeneratedImage.objects.select_related("author"), pk=pk) for pk in ids]
    return render(request, "playground_app/gallery_compare.html", {"pair": pair})


@requires(USE_PLAYGROUND)
@require_GET
def gallery(request: HttpRequest) -> HttpResponse:
    filters = GalleryFilterForm(request.GET)
    images = filters.filter(GeneratedImage.objects.select_related("author"))
    page = Paginator(images, settings.PLAYGROUND_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "playground_app/gallery.html", {"filters": filters, "page": page})


@requires(USE_PLAYGROUND)
@require_GET
def image(request: HttpRequest, pk: int) -> HttpResponse:
    shown = get_object_or_404(GeneratedImage.objects.select_related("author"), pk=pk)
    context = {"image": shown, "can_delete": can_manage(request.user, shown.author_id)}
    return render(request, "playground_app/image_detail.html", context)


@requires(USE_PLAYGROUND)
@require_GET
def image_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The PNG original, as a download named after its seed."""
    shown = get_object_or_404(GeneratedImage, pk=pk)
    return stored_file(shown.original, "image/png", download_as=f"image-{shown.pk}-seed-{shown.seed}.png")


@requires(USE_PLAYGROUND)
@require_GET
def image_thumbnail(request: HttpRequest, pk: int) -> HttpResponse:
    shown = get_object_or_404(GeneratedImage, pk=pk)
    return stored_file(shown.thumbnail, "image/webp")


@requires(USE_PLAYGROUND)
@require_GET
def image_original(request: HttpRequest, pk: int) -> HttpResponse:
    shown = get_object_or_404(GeneratedImage, pk=pk)
    return stored_file(shown.original, "image/png")


@requires(USE_PLAYGROUND)
@require_POST
def image_delete(request: HttpRequest, pk: int) -> HttpResponse:
    delete_image(request.user, get_object_or_404(GeneratedImage, pk=pk))
    messages.success(request, "The image was deleted.")
    return redirect("playground:gallery")
