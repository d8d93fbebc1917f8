"""The hardware list: built from the published prices CSV, shaped as the client reads it."""

from hubsim.endpoints.hardware import HardwareCatalog
from hubsim.endpoints.hardware_prices import read_prices


def test_every_row_of_the_prices_csv_is_offered_at_its_price() -> None:
    catalog = HardwareCatalog.load()
    offered = {(c.vendor, c.instance_type, c.instance_size): c.raw["pricePerHour"] for c in catalog.computes}
    for row in read_prices():
        key = (row["vendor"], row["instance_type"], row["instance_size"])
        assert offered[key] == float(row["price_per_hour_usd"]), key


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
