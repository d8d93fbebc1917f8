"""`manage.py endpoints list | pause NAME | resume NAME [--wait]`: the console's actions from a shell, through
the same services (permissions, operations, audit) as the pages. NAME is "name" or "namespace/name"."""

import getpass
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from endpoints_app.models import Endpoint, Operation
from endpoints_app.models.operations import OperationState
from endpoints_app.services import operations
from endpoints_app.services.actors import Actor
from endpoints_app.services.errors import ActionRefused, NotPermitted

POLL_SECONDS = 0.5


def find_endpoint(name: str) -> Endpoint:
    """The present endpoint called `name` ("namespace/name", or a name only one namespace has)."""
    namespace, _, short = name.rpartition("/")
    matches = Endpoint.objects.filter(name=short, is_gone=False).select_related("namespace")
    if namespace:
        matches = matches.filter(namespace__name=namespace)
    found = list(matches[:2])
    if not found:
        raise CommandError(f"No endpoint {name} in the mirror (run sync_endpoints if it is new).")
    if len(found) > 1:
        raise CommandError(f"Several namespaces have an endpoint {short}: write namespace/{short}.")
    return found[0]


class Command(BaseCommand):
    help = "List, pause or resume endpoints from the command line, recorded in the audit log."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as",
            dest="username",
            help="Act as this console user (their role applies). Default: recorded as the command line.",
        )
        commands = parser.add_subparsers(dest="command", required=True)
        listing = commands.add_parser("list", help="The mirrored endpoints.")
        listing.add_argument("--namespace", help="Only this namespace.")
        listing.add_argument("--status", help="Only endpoints in this state, e.g. running.")
        for command in ("pause", "resume"):
            action = commands.add_parser(command, help=f"{command.capitalize()} an endpoint.")
            action.add_argument("name", help='"name" or "namespace/name".')
            action.add_argument("--wait", action="store_true", help="Wait until the operation has finished.")

    def handle(self, *args: object, command: str, **options: object) -> None:
        if command == "list":
            self._list(options.get("namespace"), options.get("status"))
            return
        endpoint = find_endpoint(str(options["name"]))
        actor = self._actor(options.get("username"))
        action = operations.pause_endpoint if command == "pause" else operations.resume_endpoint
        try:
            operation = action(actor, endpoint)
        except (ActionRefused, NotPermitted) as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(
            f"{operation.get_kind_display()} {endpoint.full_name}: operation {operation.pk} queued."
        )
        if options["wait"]:
            self._wait(operation)

    def _actor(self, username: object) -> Actor:
        if not username:
            return Actor.automatic(f"command line ({getpass.getuser()})")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No console user {username}.")
        return Actor(user=user)

    def _list(self, namespace: object, status: object) -> None:
        endpoints = Endpoint.objects.filter(is_gone=False).select_related("namespace")
        if namespace:
            endpoints = endpoints.filter(namespace__name=namespace)
        if status:
            endpoints = endpoints.filter(status=status)
        for endpoint in endpoints:
            price = f"${endpoint.price_per_hour:.2f}/h" if endpoint.price_per_hour is not None else "-"
            hardware = (
                f"{endpoint.vendor}/{endpoint.region} {endpoint.instance_type} {endpoint.instance_size}"
            )
            self.stdout.write(
                f"{endpoint.full_name:<40} {endpoint.status:<13} {hardware:<40} {price:>10}  {endpoint.url}"
            )

    def _wait(self, operation: Operation) -> None:
        """Follows the operation (a worker does it) until it ends; a failure is an error exit."""
        deadline = time.monotonic() + settings.OPERATION_TIMEOUT_SECONDS + 60
        seen = ""
        while operation.is_active:
            progress = f"{operation.get_state_display()} {operation.remote_state}".strip()
            if progress != seen:
                self.stdout.write(f"  {progress}")
                seen = progress
            if time.monotonic() > deadline:
                raise CommandError(
                    f"Operation {operation.pk} is still {operation.state}: is a worker running?"
                )
            time.sleep(POLL_SECONDS)
            operation.refresh_from_db()
        if operation.state != OperationState.SUCCEEDED:
            raise CommandError(f"Failed: {operation.error}")
        self.stdout.write(self.style.SUCCESS(f"Done: the endpoint is {operation.remote_state}."))
