"""`manage.py enforce_policies [--dry-run]`: what the Celery beat task does, on demand."""

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from billing import enforcement, metrics
from billing.costs import ZERO
from billing.policies.plan import Plan
from endpoints_app.models import OperationKind


class Command(BaseCommand):
    help = (
        "Read the endpoints' request counts and enforce every enabled policy now. With --dry-run, only "
        "print what each policy would do and save per day; nothing is read, requested or sent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Print the plans without acting.")

    def handle(self, *args: object, dry_run: bool = False, **options: object) -> None:
        if dry_run:
            self._dry_run()
        else:
            self._enforce()

    def _dry_run(self) -> None:
        plans = enforcement.dry_run()
        for plan in plans:
            self._write_plan(plan, "would ")
        # Policies overlap: each endpoint they would pause counts once.
        paused = {
            action.endpoint.pk: action.hourly_burn
            for plan in plans
            for action in plan.actions
            if action.kind == OperationKind.PAUSE
        }
        self.stdout.write(
            f"Dry run: {len(plans)} policies would pause {len(paused)} endpoints, "
            f"stopping ${sum(paused.values(), ZERO):,.2f} per hour."
        )

    def _enforce(self) -> None:
        used = metrics.collect_activity()
        results = enforcement.enforce_all()
        for result in results:
            self._write_plan(result.plan, "")
            for operation in result.requested:
                self.stdout.write(
                    f"  queued operation {operation.pk}: {operation.kind} {operation.endpoint_name}"
                )
            for endpoint, refusal in result.refused:
                self.stdout.write(self.style.WARNING(f"  refused for {endpoint.full_name}: {refusal}"))
            for threshold in result.alerted:
                self.stdout.write(f"  budget alert sent: {threshold}%")
        requested = sum(len(result.requested) for result in results)
        self.stdout.write(f"{used} endpoints used since the last reading; {requested} operations requested.")

    def _write_plan(self, plan: Plan, mood: str) -> None:
        policy = plan.policy
        self.stdout.write(
            self.style.MIGRATE_HEADING(f"{policy.name} ({policy.get_kind_display().lower()})")
            + f": saves ${plan.saving_per_day:,.2f} per day"
        )
        for action in plan.actions:
            self.stdout.write(
                f"  {mood}{action.kind} {action.endpoint.full_name}: {action.reason} "
                f"(${action.hourly_burn:,.2f}/h)"
            )
        for kept in plan.kept:
            until = timezone.localtime(kept.exclusion.expires_at)
            self.stdout.write(
                f"  keeps {kept.endpoint.full_name} running, “{kept.exclusion.reason}” until "
                f"{until:%Y-%m-%d %H:%M %Z} (else: {kept.reason})"
            )
        for endpoint in plan.in_progress:
            self.stdout.write(f"  leaves {endpoint.full_name} to the operation in progress")
        for skipped in plan.skipped:
            self.stdout.write(f"  skips {skipped.endpoint.full_name}: {skipped.reason}")
        for endpoint in plan.failed_lately:
            self.stdout.write(f"  leaves {endpoint.full_name} alone: acting on it failed lately")
        if plan.budget is not None and plan.budget.new_thresholds:
            thresholds = ", ".join(f"{threshold}%" for threshold in plan.budget.new_thresholds)
            self.stdout.write(f"  {mood}alert: {thresholds} of the budget reached")
        for note in plan.notes:
            self.stdout.write(f"  {note}")
