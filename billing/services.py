"""Admins' changes to policies and exclusions: permission checked, saved, written to the audit log."""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.forms import ModelForm
from django.utils import timezone

from billing.models import Exclusion, Notification, Policy
from endpoints_app import roles
from endpoints_app.models import AuditEntry, Endpoint
from endpoints_app.services import audit
from endpoints_app.services.actors import Actor
from endpoints_app.services.errors import ActionRefused


def _require_manager(actor: Actor) -> None:
    roles.require(actor, roles.MANAGE_POLICIES, "Only admins change policies and 'keep running' marks.")


@transaction.atomic
def save_policy(actor: Actor, form: ModelForm) -> Policy:
    """Saves a valid policy form (new or edited)."""
    _require_manager(actor)
    created = form.instance.pk is None
    policy = form.save()
    record_policy_saved(actor, policy, created=created, changed=form.changed_data)
    return policy


def record_policy_saved(actor: Actor, policy: Policy, *, created: bool, changed: list[str]) -> None:
    """The audit entry of a policy saved here or in the Django admin."""
    audit.record(
        actor,
        "add_policy" if created else "change_policy",
        policy.name,
        AuditEntry.Result.SUCCEEDED,
        changes={"kind": policy.kind, "enabled": policy.enabled, "changed": sorted(changed)},
    )


@transaction.atomic
def set_policy_enabled(actor: Actor, policy: Policy, enabled: bool) -> Policy:
    _require_manager(actor)
    policy.enabled = enabled
    policy.save(update_fields=["enabled", "updated_at"])
    audit.record(
        actor, "enable_policy" if enabled else "disable_policy", policy.name, AuditEntry.Result.SUCCEEDED
    )
    return policy


@transaction.atomic
def delete_policy(actor: Actor, policy: Policy) -> None:
    _require_manager(actor)
    name = policy.name
    policy.delete()
    audit.record(actor, "delete_policy", name, AuditEntry.Result.SUCCEEDED)


@transaction.atomic
def add_exclusion(actor: Actor, endpoint: Endpoint, reason: str, expires_at: datetime) -> Exclusion:
    _require_manager(actor)
    if expires_at <= timezone.now():
        raise ActionRefused("The expiry must be in the future.")
    return record_exclusion(actor, endpoint, reason, expires_at)


def record_exclusion(actor: Actor, endpoint: Endpoint, reason: str, expires_at: datetime) -> Exclusion:
    """The mark and its audit entry, once the caller has checked the actor may add it."""
    exclusion = Exclusion.objects.create(
        endpoint=endpoint, reason=reason, expires_at=expires_at, created_by=actor.user
    )
    audit.record(
        actor,
        "keep_running",
        endpoint.full_name,
        AuditEntry.Result.SUCCEEDED,
        changes={"reason": reason, "until": expires_at.isoformat()},
    )
    return exclusion


@transaction.atomic
def end_exclusion(actor: Actor, exclusion: Exclusion) -> Exclusion:
    _require_manager(actor)
    if not exclusion.is_active():
        raise ActionRefused("This 'keep running' mark has already ended.")
    exclusion.ended_at = timezone.now()
    exclusion.save(update_fields=["ended_at"])
    audit.record(actor, "end_keep_running", exclusion.endpoint.full_name, AuditEntry.Result.SUCCEEDED)
    return exclusion


def mark_all_read(user: AbstractBaseUser) -> int:
    """Marks every notification the user has not read as read. Returns how many."""
    unread = list(Notification.objects.exclude(read_by=user).values_list("pk", flat=True))
    Notification.read_by.through.objects.bulk_create(
        [Notification.read_by.through(notification_id=pk, user_id=user.pk) for pk in unread],
        ignore_conflicts=True,  # two clicks at once mark the same ones
    )
    return len(unread)


def unread_count(user: AbstractBaseUser) -> int:
    return Notification.objects.exclude(read_by=user).count()
