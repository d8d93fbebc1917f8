"""The hardware list: built from the published prices CSV, shaped as the client reads it."""

import json

from hubsim.endpoints.hardware import HardwareCatalog
from hubsim.endpoints.hardware_build import HARDWARE_JSON, build_catalog, read_prices
from tests.hubsim.conftest import SHARED_REFERENCE


def test_hardware_json_is_what_the_prices_csv_builds() -> None:
    built = build_catalog(read_prices(SHARED_REFERENCE / "hardware-prices.csv"))
    assert json.loads(HARDWARE_JSON.read_text()) == built


def test_every_instance_type_of_the_issue_is_offered_on_aws() -> None:
    catalog = HardwareCatalog.load()
    offered = {compute.instance_type for compute in catalog.computes if compute.vendor == "aws"}
    wanted = {
        "intel-icl",
        "intel-spr",
        "nvidia-t4",
        "nvidia-l4",
        "nvidia-a10g",
        "nvidia-l40s",
        "nvidia-a100",
        "nvidia-h100",
    }
    assert wanted <= offered


def test_deprecated_instances_are_marked_so() -> None:
    compute = HardwareCatalog.load().find("aws", "us-east-1", "intel-icl", "x1")
    assert compute.status == "deprecated"


def test_gpu_entries_carry_gpu_memory_and_cpu_entries_none() -> None:
    catalog = HardwareCatalog.load()
    t4 = catalog.find("aws", "us-east-1", "nvidia-t4", "x1").raw
    cpu = catalog.find("aws", "us-east-1", "intel-spr", "x2").raw
    assert (t4["gpuMemoryGb"], t4["numAccelerators"], cpu["gpuMemoryGb"], cpu["memoryGb"]) == (14, 1, None, 4)
