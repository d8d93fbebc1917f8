"""The create form page: presets and clones prefill it, the suggested name follows the repository, and a
namespace whose hardware list is not cached yet gets it fetched while the picker waits for it."""

from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from endpoints_app.models import HardwareOption
from endpoints_app.presets import PRESETS
from tests.endpoints.mirror_rows import endpoint_row
from tests.fixtures.team import Team
from tests.waiting import wait_until

PRESET_LABELS = [preset.label for preset in PRESETS]


def test_clone_opens_the_create_form_prefilled_with_a_new_name(client_as, namespace) -> None:
    source = endpoint_row(namespace, "gemma-1-1-2b-it-001", max_replica=3)
    response = client_as("operator").get(reverse("endpoints:clone", args=[source.pk]))
    page = response.content.decode()
    assert "<h1>Clone demo/gemma-1-1-2b-it-001</h1>" in page
    assert 'value="google/gemma-1.1-2b-it"' in page
    assert 'placeholder="gemma-1-1-2b-it-002"' in page
    assert response.context["form"]["max_replica"].value() == 3


def test_each_preset_is_offered_and_fills_the_form(client_as, namespace) -> None:
    client = client_as("operator")
    assert all(label in client.get(reverse("endpoints:create")).content.decode() for label in PRESET_LABELS)
    form = client.get(reverse("endpoints:create"), {"preset": "idefics2"}).context["form"]
    assert (form["repository"].value(), form["task"].value()) == (
        "HuggingFaceM4/idefics2-8b-chatty",
        "image-text-to-text",
    )


def test_the_suggested_name_follows_the_repository_and_skips_taken_names(client_as, namespace) -> None:
    endpoint_row(namespace, "idefics2-8b-chatty-001")
    response = client_as("operator").get(
        reverse("endpoints:suggest_name"),
        {"namespace": namespace.pk, "repository": "HuggingFaceM4/idefics2-8b-chatty", "name": ""},
    )
    assert 'placeholder="idefics2-8b-chatty-002"' in response.content.decode()


def test_a_name_typed_survives_the_suggestion(client_as, namespace) -> None:
    response = client_as("operator").get(
        reverse("endpoints:suggest_name"), {"repository": "google/gemma-1.1-2b-it", "name": "my-gemma"}
    )
    assert 'value="my-gemma"' in response.content.decode()


def test_a_namespace_without_a_hardware_list_gets_one_fetched(ready_team: Team) -> None:
    HardwareOption.objects.filter(namespace=ready_team.org_namespace).delete()
    cache.clear()
    client = Client()
    client.force_login(ready_team.operator)
    picker = reverse("endpoints:hardware_field")
    query = {"namespace": ready_team.org_namespace.pk}

    waiting = client.get(picker, query).content.decode()
    assert "The hardware list of demo-org is being fetched" in waiting
    assert 'hx-trigger="every 2s"' in waiting

    def options_shown() -> bool:
        return "Nvidia A10G x1" in client.get(picker, query).content.decode()

    wait_until(options_shown, what="the hardware list of demo-org")


def test_the_security_choices_say_what_the_documentation_says(client_as, namespace) -> None:
    page = client_as("operator").get(reverse("endpoints:create")).content.decode()
    for words in (
        "Public: anyone, without a token",
        "Authenticated: anyone with a Hugging Face account, using their own token",
        "Private: only you or members of your organization, using their own token",
    ):
        assert words in page
    assert "private link" not in page.lower()  # PrivateLink is a network setting, not a security type


def test_each_engine_is_offered_and_tgi_is_marked_in_maintenance(client_as, namespace) -> None:
    page = client_as("operator").get(reverse("endpoints:create")).content.decode()
    engines = page[page.index("<legend>Engine</legend>") :].split("</fieldset>")[0]
    for label in ("vLLM", "SGLang", "llama.cpp", "Text Embeddings Inference", "Custom container"):
        assert f"{label}</label>" in engines
    assert (
        'Text Generation Inference <span class="badge badge-maintenance">in maintenance</span></label>'
        in engines
    )
    assert engines.count("in maintenance</span>") == 1
