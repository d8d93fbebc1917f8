"""`manage.py sync_endpoints [NAMESPACE ...]`: sync the mirror now, with the same service as the beat task."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from endpoints_app.hf import GatewayError
from endpoints_app.models import Namespace
from endpoints_app.services import sync


class Command(BaseCommand):
    help = (
        "Sync the mirror now: one list call per namespace (every namespace a token reaches, or those named)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("namespaces", nargs="*", help="Namespaces to sync (default: all).")
        parser.add_argument(
            "--hardware", action="store_true", help="Refresh the provider list (hardware and prices) first."
        )

    def handle(self, *args: object, namespaces: list[str], hardware: bool, **options: object) -> None:
        selected = Namespace.objects.filter(credential__isnull=False).select_related("credential")
        if namespaces:
            selected = selected.filter(name__in=namespaces)
            missing = set(namespaces) - {namespace.name for namespace in selected}
            if missing:
                raise CommandError(f"No token reaches {', '.join(sorted(missing))}.")
        failures = 0
        for namespace in selected:
            if hardware:
                try:
                    count = sync.refresh_hardware(namespace)
                    self.stdout.write(f"{namespace.name}: {count} hardware options.")
                except GatewayError as error:
                    self.stderr.write(f"{namespace.name}: hardware not refreshed: {error}")
                    failures += 1
            result = sync.sync_namespace(namespace)
            if result.ok:
                self.stdout.write(f"{namespace.name}: {result.seen} endpoints, {result.changed} changed.")
            else:
                self.stderr.write(f"{namespace.name}: {result.error}")
                failures += 1
        if failures:
            raise CommandError(f"{failures} namespace(s) could not be synced.")
