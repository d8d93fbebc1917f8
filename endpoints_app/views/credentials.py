"""The team's Hugging Face tokens (admins only): add, list as hf_…abcd with the namespaces reached, replace,
remove. A token is validated by the service (whoami) before it is stored."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from endpoints_app.forms.credentials import CredentialForm, ReplaceTokenForm
from endpoints_app.models import Credential
from endpoints_app.roles import MANAGE_CREDENTIALS, requires
from endpoints_app.services import credentials
from endpoints_app.services.actors import Actor
from endpoints_app.services.errors import ActionRefused


@sensitive_post_parameters("token")
@requires(MANAGE_CREDENTIALS)
@require_http_methods(["GET", "POST"])
def credential_list(request: HttpRequest) -> HttpResponse:
    form = CredentialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            credential = credentials.add_credential(
                Actor.from_request(request), form.cleaned_data["label"], form.cleaned_data["token"]
            )
        except ActionRefused as refusal:
            form.add_error("token", str(refusal))
        else:
            reached = ", ".join(credential.reached_namespaces)
            messages.success(
                request, f"Added {credential.label} ({credential.masked_token}): it reaches {reached}."
            )
            return redirect("endpoints:credentials")
    listing = Credential.objects.select_related("created_by").prefetch_related("namespaces")
    return render(request, "endpoints_app/credentials.html", {"form": form, "credentials": listing})


@sensitive_post_parameters("token")
@requires(MANAGE_CREDENTIALS)
@require_http_methods(["GET", "POST"])
def replace_credential(request: HttpRequest, pk: int) -> HttpResponse:
    credential = get_object_or_404(Credential, pk=pk)
    form = ReplaceTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            credentials.replace_token(Actor.from_request(request), credential, form.cleaned_data["token"])
        except ActionRefused as refusal:
            form.add_error("token", str(refusal))
        else:
            messages.success(
                request, f"Replaced the token of {credential.label}: now {credential.masked_token}."
            )
            return redirect("endpoints:credentials")
    return render(request, "endpoints_app/credential_replace.html", {"form": form, "credential": credential})


@requires(MANAGE_CREDENTIALS)
@require_POST
def remove_credential(request: HttpRequest, pk: int) -> HttpResponse:
    credential = get_object_or_404(Credential, pk=pk)
    label = credential.label
    credentials.remove_credential(Actor.from_request(request), credential)
    messages.success(request, f"Removed {label}.")
    return redirect("endpoints:credentials")
