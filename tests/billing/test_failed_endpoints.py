"""An endpoint that fails, or whose update fails, is notified in the app and emailed to the operators as well
as to the admins (roles hold for every namespace: the operators of its namespace are the team's operators)."""

from billing.models import Notification
from tests.waiting import wait_until


def test_a_failed_endpoint_is_emailed_to_the_operators_and_admins(fleet, mailoutbox) -> None:
    endpoint = fleet.deploy("flaky-gpu")
    fleet.hubsim.control.set_state("demo", "flaky-gpu", "failed", message="CUDA out of memory")
    fleet.sync()
    notification = Notification.objects.get(kind=Notification.Kind.ENDPOINT_FAILED)
    assert notification.title == "demo/flaky-gpu failed"
    assert notification.body.startswith("The service says: CUDA out of memory. It was running before.")
    assert f"http://localhost:8000/endpoints/{endpoint.pk}/" in notification.body
    wait_until(lambda: mailoutbox, what="the email")
    assert [(mail.subject, mail.to) for mail in mailoutbox] == [
        ("[Endpoints console] demo/flaky-gpu failed", ["ada@example.org", "otto@example.org"])
    ]


def test_a_failed_update_is_notified_once(fleet) -> None:
    fleet.deploy("flaky-gpu")
    fleet.hubsim.control.set_state("demo", "flaky-gpu", "updateFailed")
    fleet.sync()
    fleet.sync()
    titles = list(Notification.objects.values_list("title", flat=True))
    assert titles == ["demo/flaky-gpu: the update failed"]


def test_a_running_endpoint_is_not_notified(fleet) -> None:
    fleet.deploy("steady-gpu")
    fleet.sync()
    assert not Notification.objects.exists()
