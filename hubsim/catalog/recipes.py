"""The catalog's models and their recipes, on hubsim's built-in repositories.

Shapes from huggingface_hub 2.4 (``InferenceCatalogModel.from_raw``, ``InferenceCatalogRecipe.from_raw``): a
model has ``repoId``, ``modelName``, ``authorName``, ``license``, ``task``, ``createdAt`` and ``recipes``; a
recipe ``publicId`` (like "sizzling-biryani-g4xsi1ac"), ``accelerator``, ``engineType`` (``vllm``,
``sglang``, ``llamacpp``, ``tei``), ``ggufFile`` (llama.cpp recipes, one per quant) and ``revision``. Which
models, recipes, hardware, image tags and engine settings the catalog holds is hubsim's choice (assumed):
each recipe runs on a compute of the provider list, so its price per hour is known.
"""

from dataclasses import dataclass
from typing import Any

CONTAINER_PORTS = {"vllm": 8000, "sglang": 30000, "llamacpp": 8080, "tei": 80}  # each engine's default port
HEALTH_ROUTE = "/health"


@dataclass(frozen=True)
class Recipe:
    public_id: str
    engine: str
    vendor: str
    region: str
    accelerator: str
    instance_type: str
    instance_size: str
    image: dict[str, Any]  # the endpoint's model.image
    gguf_file: str | None = None
    revision: str | None = None

    @property
    def compute_id(self) -> str:
        """The id of its compute in the provider list (``GET /v2/provider/{namespace}``)."""
        return f"{self.vendor}-{self.region}-{self.instance_type}-{self.instance_size}"


@dataclass(frozen=True)
class CatalogModel:
    repo_id: str
    license: str
    task: str
    created_at: str
    recipes: tuple[Recipe, ...]

    @property
    def author(self) -> str:
        return self.repo_id.split("/")[0]

    @property
    def name(self) -> str:
        return self.repo_id.split("/")[-1]


def _container(variant: str, engine: str, url: str, **settings: Any) -> dict[str, Any]:
    return {variant: {"url": url, "healthRoute": HEALTH_ROUTE, "port": CONTAINER_PORTS[engine], **settings}}


def vllm(public_id: str, accelerator: str, instance_type: str, instance_size: str = "x1") -> Recipe:
    image = _container("vLLM", "vllm", "vllm/vllm-openai:v0.11.0")
    return Recipe(public_id, "vllm", "aws", "us-east-1", accelerator, instance_type, instance_size, image)


def sglang(public_id: str, accelerator: str, instance_type: str, instance_size: str = "x1") -> Recipe:
    image = _container("sGLang", "sglang", "lmsysorg/sglang:v0.5.2")
    return Recipe(public_id, "sglang", "aws", "us-east-1", accelerator, instance_type, instance_size, image)


def llamacpp(
    public_id: str, gguf_file: str, accelerator: str, instance_type: str, instance_size: str
) -> Recipe:
    url = "ghcr.io/ggml-org/llama.cpp:server" + ("-cuda" if accelerator == "gpu" else "")
    image = _container(
        "llamacpp", "llamacpp", url, modelPath=f"/repository/{gguf_file}", ctxSize=4096, nParallel=4
    )
    return Recipe(
        public_id, "llamacpp", "aws", "us-east-1", accelerator, instance_type, instance_size, image, gguf_file
    )


def tei(public_id: str, accelerator: str, instance_type: str, instance_size: str) -> Recipe:
    tag = "cpu-1.9" if accelerator == "cpu" else "1.9"
    image = _container("tei", "tei", f"ghcr.io/huggingface/text-embeddings-inference:{tag}")
    return Recipe(public_id, "tei", "aws", "us-east-1", accelerator, instance_type, instance_size, image)


GGUF_FILE = "qwen2.5-0.5b-instruct-{}.gguf"  # the names of Qwen/Qwen2.5-0.5B-Instruct-GGUF's files

CATALOG = (
    CatalogModel(
        "Qwen/Qwen2.5-0.5B-Instruct",
        "Apache 2.0",
        "text-generation",
        "2025-03-18T10:00:00.000Z",
        (
            vllm("crispy-samosa-q7k2m9xa", "gpu", "nvidia-l4"),
            sglang("golden-churro-t3n8w1pb", "gpu", "nvidia-l4"),
        ),
    ),
    CatalogModel(
        "meta-llama/Meta-Llama-3-8B-Instruct",
        "Llama 3",
        "text-generation",
        "2025-02-04T09:30:00.000Z",
        (
            vllm("smoky-paella-h5r2c8vd", "gpu", "nvidia-a10g"),
            sglang("tangy-ramen-b9x4k6qe", "gpu", "nvidia-l40s"),
        ),
    ),
    CatalogModel(
        "Qwen/Qwen2.5-0.5B-Instruct-GGUF",
        "Apache 2.0",
        "text-generation",
        "2025-05-27T14:15:00.000Z",
        (
            llamacpp("zesty-falafel-m2p7s4yj", GGUF_FILE.format("q4_k_m"), "cpu", "intel-spr", "x4"),
            llamacpp("buttery-gnocchi-w6d1f3hu", GGUF_FILE.format("q8_0"), "gpu", "nvidia-t4", "x1"),
        ),
    ),
    CatalogModel(
        "BAAI/bge-small-en-v1.5",
        "MIT",
        "feature-extraction",
        "2025-04-09T08:45:00.000Z",
        (
            tei("fluffy-mochi-c8v5n2rz", "cpu", "intel-spr", "x2"),
            tei("savory-pho-k4j9t7ga", "gpu", "nvidia-t4", "x1"),
        ),
    ),
)
