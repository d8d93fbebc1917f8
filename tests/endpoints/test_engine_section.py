"""The endpoint page's engine section (the engine, TGI in maintenance, the image and its settings), the flag
on an endpoint the old console created with a health route the service ignored, and the update that repairs
it."""

from django.test import Client
from django.urls import reverse

from endpoints_app.models import Endpoint, Operation, OperationKind
from endpoints_app.services import sync
from tests.endpoints.form_flow import logged_in
from tests.endpoints.mirror_rows import endpoint_row, raw_endpoint
from tests.fixtures.team import Team
from tests.waiting import finished

OWN_SERVER = "registry.example.com/team/own-server:1.0"  # a container hubsim cannot emulate: it answers
# 200 on the health route its author wrote, and 404 elsewhere


def engine_section(client: Client, endpoint: Endpoint) -> str:
    page = client.get(reverse("endpoints:detail", args=[endpoint.pk])).content.decode()
    return page[page.index('class="card engine-section"') :].split("</section>")[0]


def test_the_engine_and_its_settings_are_on_the_page(client_as, namespace) -> None:
    raw = raw_endpoint(
        "qwen-001",
        image={
            "vLLM": {"url": "vllm/vllm-openai:v0.11.0", "healthRoute": "/health", "tensorParallelSize": 2}
        },
        args=["--max-num-seqs", "8", "--enable-prefix-caching"],
    )
    endpoint = endpoint_row(namespace, "qwen-001", raw=raw, engine="vllm", image="vllm/vllm-openai:v0.11.0")

    section = engine_section(client_as("viewer"), endpoint)

    assert "<dt>Engine</dt><dd>vLLM" in section and "in maintenance" not in section
    assert "vllm/vllm-openai:v0.11.0" in section
    assert '<dt>Tensor parallel size</dt><dd class="mono">2</dd>' in section
    assert '<dt>Max sequences</dt><dd class="mono">8</dd>' in section
    assert '<dt>Container arguments</dt><dd class="mono">--enable-prefix-caching</dd>' in section


def test_tgi_is_shown_in_maintenance(client_as, namespace) -> None:
    raw = raw_endpoint("idefics-001", image={"tgi": {"url": "tgi:3.3.7", "maxInputLength": 2048}})
    endpoint = endpoint_row(namespace, "idefics-001", raw=raw, engine="tgi", image="tgi:3.3.7")

    section = engine_section(client_as("viewer"), endpoint)

    assert "Text Generation Inference" in section and "in maintenance" in section
    assert '<dt>Max input tokens</dt><dd class="mono">2048</dd>' in section


def create_as_the_old_console_did(ready_team: Team, hubsim, name: str) -> Endpoint:
    """The endpoint and the create operation the console made before it sent `healthRoute`: the custom
    image's route as `health_route` (and its env inside the image), both dropped by the service."""
    old_image = {"url": OWN_SERVER, "health_route": "/ok", "env": {}}
    hubsim.create_endpoint(name, repository="gpt2", task="text-generation", custom_image=old_image)
    Operation.objects.create(
        kind=OperationKind.CREATE,
        state="failed",
        namespace=ready_team.namespace,
        endpoint_name=name,
        requested_by=ready_team.operator,
        payload={"name": name, "repository": "gpt2", "custom_image": old_image, "secret_names": []},
        error="The deployment failed: the health check on '/health' never succeeded",
    )
    sync.sync_namespace(ready_team.namespace)
    return Endpoint.objects.get(name=name)


def test_an_ignored_health_route_is_flagged_and_an_update_sets_it(ready_team: Team, hubsim) -> None:
    endpoint = create_as_the_old_console_did(ready_team, hubsim, "own-server")
    operator = logged_in(ready_team.operator)

    section = engine_section(operator, endpoint)
    assert "The service checks <code>/health</code>, not <code>/ok</code>" in section
    assert "Set the health route to /ok</button>" in section

    operator.post(reverse("endpoints:set_health_route", args=[endpoint.pk]))
    update = finished(Operation.objects.get(endpoint_name="own-server", kind=OperationKind.UPDATE))

    assert update.state == "succeeded", update.error
    endpoint.refresh_from_db()
    assert (endpoint.status, endpoint.health_route) == ("running", "/ok")
    assert endpoint.raw["model"]["image"] == {"custom": {"url": OWN_SERVER, "healthRoute": "/ok"}}
    assert "data-ignored-health-route" not in engine_section(operator, endpoint)


def test_an_endpoint_created_with_its_health_route_is_not_flagged(client_as, namespace) -> None:
    raw = {**raw_endpoint("own-server", image={"custom": {"url": OWN_SERVER, "healthRoute": "/ok"}})}
    raw["healthRoute"] = "/ok"
    endpoint = endpoint_row(namespace, "own-server", raw=raw, engine="unknown", image=OWN_SERVER)
    Operation.objects.create(
        kind=OperationKind.CREATE,
        state="succeeded",
        namespace=namespace,
        endpoint_name="own-server",
        payload={"custom_image": {"url": OWN_SERVER, "health_route": "/ok", "variant": "custom"}},
    )

    assert "data-ignored-health-route" not in engine_section(client_as("viewer"), endpoint)


def test_a_viewer_sees_the_flag_without_the_button(ready_team: Team, hubsim) -> None:
    endpoint = create_as_the_old_console_did(ready_team, hubsim, "own-server")
    viewer = logged_in(ready_team.viewer)

    section = engine_section(viewer, endpoint)

    assert "data-ignored-health-route" in section and "Set the health route" not in section
    assert viewer.post(reverse("endpoints:set_health_route", args=[endpoint.pk])).status_code == 403
