"""Policy pages for admins: list, create and edit (one form per kind), switch on/off, delete, dry run."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from billing import enforcement, services
from billing.forms import POLICY_FORMS
from billing.models import Policy, PolicyKind
from billing.policies import plan_for
from endpoints_app.roles import MANAGE_POLICIES, requires
from endpoints_app.services.actors import Actor


@require_GET
@requires(MANAGE_POLICIES)
def policy_list(request: HttpRequest) -> HttpResponse:
    policies = Policy.objects.prefetch_related("namespaces", "tags", "endpoints__namespace")
    return render(request, "billing/policy_list.html", {"policies": policies, "kinds": PolicyKind.choices})


@requires(MANAGE_POLICIES)
def policy_create(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in POLICY_FORMS:
        raise Http404("No such kind of policy.")
    return _edit(request, Policy(kind=kind, created_by=request.user))


@requires(MANAGE_POLICIES)
def policy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, get_object_or_404(Policy, pk=pk))


def _edit(request: HttpRequest, policy: Policy) -> HttpResponse:
    form = POLICY_FORMS[policy.kind](request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        saved = services.save_policy(Actor.from_request(request), form)
        messages.success(request, f"Saved the policy {saved.name}. Here is what it would do now.")
        return redirect("billing:policy_dry_run", saved.pk)
    return render(request, "billing/policy_form.html", {"form": form, "policy": policy})


@require_POST
@requires(MANAGE_POLICIES)
def policy_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(Policy, pk=pk)
    services.set_policy_enabled(Actor.from_request(request), policy, not policy.enabled)
    messages.success(request, f"{policy.name} is {'on' if policy.enabled else 'off'}.")
    return redirect("billing:policies")


@require_POST
@requires(MANAGE_POLICIES)
def policy_delete(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(Policy, pk=pk)
    services.delete_policy(Actor.from_request(request), policy)
    messages.success(request, f"Deleted the policy {policy.name}.")
    return redirect("billing:policies")


@require_GET
@requires(MANAGE_POLICIES)
def policy_dry_run(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(Policy, pk=pk)
    return render(
        request, "billing/dry_run.html", {"plans": [plan_for(policy, timezone.now())], "policy": policy}
    )


@require_GET
@requires(MANAGE_POLICIES)
def dry_run_all(request: HttpRequest) -> HttpResponse:
    return render(request, "billing/dry_run.html", {"plans": enforcement.dry_run()})
