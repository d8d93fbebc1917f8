"""Uploading an image to ask a multimodal endpoint about it, and showing it to team members only."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from dashboard import rate_limits
from endpoints_app.roles import USE_PLAYGROUND, requires
from playground_app.forms import UploadForm
from playground_app.models import Upload
from playground_app.services.uploads import UploadRefused, save_upload
from playground_app.views.media import stored_file


@requires(USE_PLAYGROUND)
@require_POST
def upload(request: HttpRequest) -> JsonResponse:
    if not rate_limits.allow(rate_limits.PLAYGROUND_UPLOADS, request.user.pk):
        return JsonResponse({"message": rate_limits.PLAYGROUND_UPLOADS.refusal()}, status=429)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"message": "Choose an image file."}, status=400)
    try:
        stored = save_upload(request.user, form.cleaned_data["image"])
    except UploadRefused as refusal:
        return JsonResponse({"message": str(refusal)}, status=400)
    return JsonResponse(
        {
            "id": stored.pk,
            "url": reverse("playground:upload_file", args=[stored.pk]),
            "width": stored.width,
            "height": stored.height,
        },
        status=201,
    )


@requires(USE_PLAYGROUND)
@require_GET
def upload_file(request: HttpRequest, pk: int) -> HttpResponse:
    stored = get_object_or_404(Upload, pk=pk)
    return stored_file(stored.file, stored.content_type)
