"""The Inference Catalog through huggingface_hub 2.4's own calls (``list_inference_catalog``,
``create_inference_endpoint_from_catalog``) and classes, with ``constants.INFERENCE_CATALOG_ENDPOINT`` set to
``{hubsim}/api/catalog``; deploy answers compared with the recorded one (tests/hubsim/recorded.py)."""

import httpx2
import huggingface_hub
import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError

from hubsim.catalog.recipes import CATALOG
from hubsim.endpoints.hardware import HardwareCatalog
from tests.hubsim.conftest import DEMO_TOKEN, VIEWER_TOKEN
from tests.hubsim.recorded import CATALOG_DEPLOY, missing_from

pytestmark = pytest.mark.filterwarnings("ignore:'HfApi.*' is experimental:UserWarning")

ENGINE_VARIANTS = {"vllm": "vLLM", "sglang": "sGLang", "llamacpp": "llamacpp", "tei": "tei"}
GGUF_REPO = "Qwen/Qwen2.5-0.5B-Instruct-GGUF"


@pytest.fixture
def api(hubsim, logged_in, monkeypatch: pytest.MonkeyPatch) -> HfApi:
    monkeypatch.setattr(huggingface_hub.constants, "INFERENCE_CATALOG_ENDPOINT", f"{hubsim.url}/api/catalog")
    return HfApi(endpoint=hubsim.url, token=DEMO_TOKEN)


def recipes(models) -> dict[str, tuple]:
    return {recipe.id: (model.repo_id, recipe) for model in models for recipe in model.recipes}


def test_the_catalog_has_recipes_for_each_engine_it_lists(api: HfApi) -> None:
    models = api.list_inference_catalog()
    engines = {recipe.engine for _, recipe in recipes(models).values()}
    assert engines == {"vllm", "sglang", "llamacpp", "tei"}
    assert all(model.name == model.repo_id.split("/")[1] for model in models)


def test_llamacpp_recipes_name_the_gguf_files_of_their_repository(api: HfApi) -> None:
    (gguf,) = api.list_inference_catalog(engine="llamacpp")
    files = set(api.list_repo_files(GGUF_REPO))
    assert gguf.repo_id == GGUF_REPO
    assert all(recipe.gguf_file in files for recipe in gguf.recipes)


def test_every_recipe_runs_on_a_compute_of_the_provider_list(api: HfApi) -> None:
    hardware = {item.id: item for item in api.list_inference_endpoints_hardware(namespace="demo")}
    for model in CATALOG:
        for recipe in model.recipes:
            compute = hardware[recipe.compute_id]
            assert (compute.accelerator, compute.price_per_hour > 0) == (recipe.accelerator, True)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"engine": "tei"}, ["BAAI/bge-small-en-v1.5"]),
        ({"accelerator": "cpu"}, [GGUF_REPO, "BAAI/bge-small-en-v1.5"]),
        ({"task": "feature-extraction"}, ["BAAI/bge-small-en-v1.5"]),
        ({"license": "Llama 3"}, ["meta-llama/Meta-Llama-3-8B-Instruct"]),
        ({"search": "qwen2.5"}, ["Qwen/Qwen2.5-0.5B-Instruct", GGUF_REPO]),
        ({"limit": 1}, ["Qwen/Qwen2.5-0.5B-Instruct"]),
    ],
)
def test_the_list_filters_as_the_client_asks(api: HfApi, filters: dict, expected: list[str]) -> None:
    assert [model.repo_id for model in api.list_inference_catalog(**filters)] == expected


def test_a_filter_on_the_recipes_keeps_only_matching_recipes(api: HfApi) -> None:
    models = api.list_inference_catalog(accelerator="cpu")
    assert {recipe.accelerator for _, recipe in recipes(models).values()} == {"cpu"}


def test_each_recipe_deploys_an_endpoint_with_its_engine_image(hubsim, api: HfApi) -> None:
    for recipe_id, (repo_id, recipe) in recipes(api.list_inference_catalog()).items():
        endpoint = api.create_inference_endpoint_from_catalog(recipe_id=recipe_id, namespace="demo")
        hubsim.control.advance(1)
        endpoint.fetch()
        assert (endpoint.repository, endpoint.status) == (repo_id, "running"), endpoint.raw["status"]
        assert list(endpoint.raw["model"]["image"]) == [ENGINE_VARIANTS[recipe.engine]]
        assert endpoint.raw["compute"]["accelerator"] == recipe.accelerator


def test_a_deploy_answers_every_field_of_the_recorded_one(api: HfApi) -> None:
    endpoint = api.create_inference_endpoint_from_catalog("Qwen/Qwen2.5-0.5B-Instruct", namespace="demo")
    recorded = CATALOG_DEPLOY["endpoint"]
    # The recorded model ran on TGI; this one on the recipe's engine.
    recorded_without_image = {
        **recorded,
        "model": {k: v for k, v in recorded["model"].items() if k != "image"},
    }
    assert missing_from(recorded_without_image, endpoint.raw) == []
    assert endpoint.raw["compute"]["scaling"] == recorded["compute"]["scaling"]
    assert (endpoint.type, endpoint.raw["status"]["message"]) == (
        "authenticated",
        recorded["status"]["message"],
    )


def test_a_generated_name_is_the_model_name_and_three_letters(api: HfApi) -> None:
    endpoint = api.create_inference_endpoint_from_catalog("Qwen/Qwen2.5-0.5B-Instruct", namespace="demo")
    base, suffix = endpoint.name.rsplit("-", 1)
    assert (base, len(suffix), suffix.isalpha()) == ("qwen2-5-0-5b-instruct", 3, True)


def test_a_model_deploy_takes_its_first_recipe_of_the_asked_accelerator(api: HfApi) -> None:
    default = api.create_inference_endpoint_from_catalog(GGUF_REPO, name="gguf-default", namespace="demo")
    on_gpu = api.create_inference_endpoint_from_catalog(
        GGUF_REPO, name="gguf-gpu", accelerator="gpu", namespace="demo"
    )
    by_file = api.create_inference_endpoint_from_catalog(
        GGUF_REPO, name="gguf-q8", gguf_file="qwen2.5-0.5b-instruct-q8_0.gguf", namespace="demo"
    )
    paths = [e.raw["model"]["image"]["llamacpp"]["modelPath"] for e in (default, on_gpu, by_file)]
    assert paths == [
        "/repository/qwen2.5-0.5b-instruct-q4_k_m.gguf",
        "/repository/qwen2.5-0.5b-instruct-q8_0.gguf",
        "/repository/qwen2.5-0.5b-instruct-q8_0.gguf",
    ]
    assert (default.raw["compute"]["accelerator"], on_gpu.raw["compute"]["accelerator"]) == ("cpu", "gpu")


@pytest.mark.parametrize(
    ("arguments", "status", "message"),
    [
        ({"repo_id": "gpt2"}, 404, "Model 'gpt2' is not in the catalog"),
        ({"recipe_id": "stale-recipe-00000000"}, 404, "Recipe 'stale-recipe-00000000' is not in the catalog"),
        ({"repo_id": GGUF_REPO, "accelerator": "neuron"}, 400, "matches accelerator 'neuron'"),
        ({"repo_id": "Qwen/Qwen2.5-0.5B-Instruct", "name": "Bad_Name"}, 400, "Invalid endpoint name"),
    ],
)
def test_a_deploy_that_cannot_be_done_is_refused(
    api: HfApi, arguments: dict, status: int, message: str
) -> None:
    with pytest.raises(HfHubHTTPError) as caught:
        api.create_inference_endpoint_from_catalog(namespace="demo", **arguments)
    assert caught.value.response.status_code == status
    assert message in str(caught.value)


def test_a_deploy_needs_a_write_token_of_the_namespace(hubsim, api: HfApi) -> None:
    url = f"{hubsim.url}/api/catalog/model/Qwen/Qwen2.5-0.5B-Instruct/deploy"
    statuses = [
        httpx2.post(url, json={"namespace": "demo"}).status_code,
        httpx2.post(
            url, json={"namespace": "demo"}, headers={"Authorization": f"Bearer {VIEWER_TOKEN}"}
        ).status_code,
    ]
    assert statuses == [401, 403]


def test_an_unreadable_limit_is_refused(hubsim) -> None:
    response = httpx2.get(f"{hubsim.url}/api/catalog/list", params={"limit": "none"})
    assert (response.status_code, response.json()["error"]) == (
        400,
        "Invalid limit 'none': expected a whole number of 1 or more",
    )


def test_the_catalog_offers_only_hardware_hubsim_has() -> None:
    hardware = HardwareCatalog.load()
    for model in CATALOG:
        for recipe in model.recipes:
            found = hardware.find(recipe.vendor, recipe.region, recipe.instance_type, recipe.instance_size)
            assert found is not None and found.id == recipe.compute_id, recipe.public_id
