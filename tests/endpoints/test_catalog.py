"""The Inference Catalog on the real stack: fetched from hubsim's catalog through the gateway and kept in the
database (a beat task, or "Refresh": audited, rate-limited, operators only), searched and priced by a page
that calls no API, and a recipe deployed as an operation watched like any create."""

import pytest
from django.test import Client
from django.urls import reverse
from huggingface_hub import HfApi

from dashboard import settings as deployed_settings
from dashboard.celery import app
from endpoints_app import tasks
from endpoints_app.hf import HfGateway
from endpoints_app.models import AuditEntry, CatalogModel, CatalogRecipe, Endpoint, Operation
from endpoints_app.services import catalog, operations
from endpoints_app.services.errors import NotPermitted
from tests.endpoints.form_flow import logged_in, progress_until_done, started_operation, submit
from tests.fixtures.team import DEMO_TOKEN, Team
from tests.waiting import finished, wait_until

GGUF_ON_CPU = "zesty-falafel-m2p7s4yj"  # Qwen/Qwen2.5-0.5B-Instruct-GGUF, llama.cpp, aws intel-spr x4
CATALOG = reverse("endpoints:catalog")


@pytest.fixture
def fetched(ready_team: Team) -> Team:
    """The team, with hubsim's catalog kept in the database."""
    assert catalog.refresh_catalog() == 4
    return ready_team


def page_of(client: Client, **query: str) -> str:
    return client.get(CATALOG, query).content.decode()


def test_the_gateway_reads_what_the_client_reads_and_each_recipes_hardware(hubsim, db) -> None:
    remotes = HfGateway(DEMO_TOKEN).list_catalog()

    listed = HfApi(token=DEMO_TOKEN).list_inference_catalog()  # huggingface_hub's own reading
    assert [(m.repo_id, m.license, m.task) for m in remotes] == [
        (m.repo_id, m.license, m.task) for m in listed
    ]
    assert [[r.public_id for r in m.recipes] for m in remotes] == [[r.id for r in m.recipes] for m in listed]
    gguf = next(recipe for model in remotes for recipe in model.recipes if recipe.public_id == GGUF_ON_CPU)
    assert (gguf.engine, gguf.accelerator, gguf.gguf_file) == (
        "llamacpp",
        "cpu",
        "qwen2.5-0.5b-instruct-q4_k_m.gguf",
    )
    assert (gguf.vendor, gguf.region, gguf.instance_type, gguf.instance_size) == (
        "aws",
        "us-east-1",
        "intel-spr",
        "x4",
    )


def test_the_beat_task_keeps_the_catalog_in_the_database(ready_team: Team, hubsim) -> None:
    entry = deployed_settings.CELERY_BEAT_SCHEDULE["refresh-catalog"]
    assert entry == {
        "task": "endpoints_app.tasks.refresh_catalog",
        "schedule": deployed_settings.CATALOG_REFRESH_SECONDS,
    }
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks

    assert tasks.refresh_catalog() == 4
    assert CatalogRecipe.objects.count() == 8
    assert CatalogModel.objects.get(repo_id="BAAI/bge-small-en-v1.5").license == "MIT"
    assert tasks.refresh_catalog() == 4  # replaced, not added to
    assert CatalogRecipe.objects.count() == 8


def test_the_page_filters_and_searches_without_calling_the_api(fetched: Team, hubsim) -> None:
    viewer = logged_in(fetched.viewer)
    hubsim.control.reset_requests()

    llamacpp = page_of(viewer, engine="llamacpp")
    assert 'data-repo="Qwen/Qwen2.5-0.5B-Instruct-GGUF"' in llamacpp
    assert 'data-repo="Qwen/Qwen2.5-0.5B-Instruct"' not in llamacpp
    cpu = page_of(viewer, accelerator="cpu")
    assert f'data-recipe="{GGUF_ON_CPU}"' in cpu and 'data-recipe="buttery-gnocchi-w6d1f3hu"' not in cpu
    assert page_of(viewer, task="feature-extraction").count('class="card catalog-model"') == 1
    assert page_of(viewer, license="Llama 3").count('class="card catalog-model"') == 1
    assert 'data-repo="meta-llama/Meta-Llama-3-8B-Instruct"' in page_of(viewer, q="llama-3")

    assert hubsim.control.request_counts()["total"] == 0


def test_each_recipe_shows_its_hardware_and_price_in_the_namespace(fetched: Team) -> None:
    page = page_of(logged_in(fetched.viewer), engine="llamacpp")

    row = page[page.index(f'data-recipe="{GGUF_ON_CPU}"') :].split("</tr>")[0]
    assert "Intel Sapphire Rapids x4" in row and "$0.13" in row  # aws intel-spr x4: $0.134 per hour
    assert "Deploy</a>" not in row  # a viewer does not deploy


def test_refresh_is_for_operators_audited_and_rate_limited(ready_team: Team, settings, redis_client) -> None:
    settings.RATE_LIMIT_ACTIONS_PER_MINUTE = 1
    redis_client.flushdb()
    operator = logged_in(ready_team.operator)

    assert logged_in(ready_team.viewer).post(reverse("endpoints:refresh_catalog")).status_code == 403
    operator.post(reverse("endpoints:refresh_catalog"))
    wait_until(CatalogModel.objects.exists, what="the catalog fetched by the worker")
    refused = operator.post(reverse("endpoints:refresh_catalog"), follow=True).content.decode()

    assert "Too many actions in a minute" in refused
    results = list(AuditEntry.objects.filter(action="refresh_catalog").values_list("result", flat=True))
    assert results == ["refused", "requested"]


def test_an_empty_catalog_is_fetched_when_an_operator_opens_the_page(ready_team: Team) -> None:
    operator = logged_in(ready_team.operator)
    assert "The catalog has not been fetched yet" in page_of(operator)

    wait_until(CatalogModel.objects.exists, what="the catalog fetched by the worker")
    assert 'data-repo="BAAI/bge-small-en-v1.5"' in page_of(operator)


def test_a_recipe_deploys_like_a_create_to_running(fetched: Team, hubsim) -> None:
    operator = logged_in(fetched.operator)
    deploy = reverse("endpoints:deploy_recipe", args=[GGUF_ON_CPU])
    hubsim.control.reset_requests()
    form = operator.get(deploy).context["form"]
    assert form["name"].field.widget.attrs["placeholder"] == "qwen2-5-0-5b-instruct-gguf-001"
    assert hubsim.control.request_counts()["total"] == 0  # the page reads the stored catalog

    values = {"namespace": str(fetched.namespace.pk), "name": "qwen-gguf-cpu"}
    operation = started_operation(submit(operator, deploy, values))

    assert "Done: the endpoint is <strong>running</strong>" in progress_until_done(operator, operation)
    operation.refresh_from_db()
    assert (operation.kind, operation.payload["catalog_recipe"]) == ("create", GGUF_ON_CPU)
    endpoint = Endpoint.objects.get(name="qwen-gguf-cpu")
    assert (endpoint.engine, endpoint.instance_type, endpoint.instance_size) == (
        "llamacpp",
        "intel-spr",
        "x4",
    )
    assert (
        endpoint.raw["model"]["image"]["llamacpp"]["modelPath"]
        == "/repository/qwen2.5-0.5b-instruct-q4_k_m.gguf"
    )
    results = list(AuditEntry.objects.filter(operation=operation).values_list("result", flat=True))
    assert results == ["succeeded", "requested"]


def test_a_lost_deploy_answer_is_not_sent_again(fetched: Team, hubsim) -> None:
    """The catalog deployed it, but its answer was lost (a proxy's 504): the console finds the endpoint
    rather than deploying a second one."""
    hubsim.control.inject_fault("POST", "/api/catalog/recipe/*/deploy", 504, when="after")
    recipe = CatalogRecipe.objects.get(public_id=GGUF_ON_CPU)
    operation = finished(
        operations.deploy_from_catalog(fetched.actor(), fetched.namespace, recipe, "lost-001")
    )

    assert operation.state == "succeeded", operation.error
    assert hubsim.control.request_counts()["by_route"]["POST /api/catalog/recipe/{recipe_id}/deploy"] == 1


def test_a_name_only_the_api_knows_is_refused_with_its_409(fetched: Team, hubsim) -> None:
    hubsim.create_endpoint("taken-001")  # outside the console: the mirror does not know it yet
    recipe = CatalogRecipe.objects.get(public_id=GGUF_ON_CPU)
    operation = finished(
        operations.deploy_from_catalog(fetched.actor(), fetched.namespace, recipe, "taken-001")
    )

    assert operation.state == "failed"
    assert "it already exists (409)" in operation.error


def test_a_refused_deploy_keeps_what_was_typed(fetched: Team) -> None:
    operator = logged_in(fetched.operator)
    deploy = reverse("endpoints:deploy_recipe", args=[GGUF_ON_CPU])
    response = submit(operator, deploy, {"namespace": str(fetched.namespace.pk), "name": "Bad_Name"})

    assert response["HX-Retarget"] == "#catalog-deploy-area"
    page = response.content.decode()
    assert "Not a valid endpoint name" in page and 'value="Bad_Name"' in page
    assert not Operation.objects.exists()


def test_a_viewer_may_not_deploy(fetched: Team) -> None:
    recipe = CatalogRecipe.objects.get(public_id=GGUF_ON_CPU)
    with pytest.raises(NotPermitted, match="does not allow you to create endpoints"):
        operations.deploy_from_catalog(fetched.actor("viewer"), fetched.namespace, recipe, "viewer-001")
