"""The provider/hardware list, built from the service's published prices (``hardware-prices.csv``).

The CSV gives vendor, instance, price, accelerator count and memory (GPU memory for GPUs, RAM for CPUs); the
host tables below add what the CSV lacks (vCPUs and RAM that come with each accelerator, regions).

The shape is that of a recorded answer of ``GET /v2/provider/{namespace}`` (huggingface_hub
``tests/test_inference_endpoints.py``, ``MOCK_PROVIDERS``): vendors and regions carry a ``status`` (and a
region its ``label``), a CPU instance counts 1 accelerator and has no ``numCpus``, ``memoryGb`` is a float,
architectures read "Nvidia L4", and an L4 comes with 7 vCPUs and 30 GB of RAM.
"""

import csv
from collections.abc import Iterable
from pathlib import Path

PRICES_CSV = Path(__file__).with_name("hardware-prices.csv")

# vCPUs and GB of RAM of the host per accelerator, from the instance families the service runs on.
HOST_PER_ACCELERATOR = {
    "nvidia-t4": (4, 16),
    "nvidia-l4": (7, 30),
    "nvidia-a10g": (6, 32),
    "nvidia-l40s": (8, 62),
    "nvidia-a100": (11, 142),
    "nvidia-h100": (23, 240),
    "nvidia-h200": (23, 256),
    "inf2": (4, 16),
}

# Regions offered per vendor; a region lists only the instance types it has (None: all of the vendor's).
# Their labels: "N. Virginia" (aws us-east-1) and "Virginia" (gcp us-east4) are recorded, the others assumed.
REGION_LABELS = {
    "us-east-1": "N. Virginia",
    "eu-west-1": "Ireland",
    "eastus": "Virginia",
    "us-east4": "Virginia",
}
# Every vendor and region is offered ("available" in the recorded answer).
AVAILABLE = "available"
REGIONS: dict[str, dict[str, set[str] | None]] = {
    "aws": {
        "us-east-1": None,
        "eu-west-1": {"intel-spr", "intel-icl", "nvidia-t4", "nvidia-l4", "nvidia-a10g"},
    },
    "azure": {"eastus": None},
    "gcp": {"us-east4": None},
}


def compute_entry(row: dict[str, str], region: str) -> dict:
    memory = float(row["memory_gb"])
    entry = {
        "id": f"{row['vendor']}-{region}-{row['instance_type']}-{row['instance_size']}",
        "accelerator": row["accelerator"],
        "instanceType": row["instance_type"],
        "instanceSize": row["instance_size"],
        "architecture": row["architecture"].replace("NVIDIA ", "Nvidia "),
        "numAccelerators": max(int(row["accelerators"]), 1),
        "memoryGb": memory,
        "gpuMemoryGb": None,
        "pricePerHour": float(row["price_per_hour_usd"]),
        "status": "deprecated" if row["note"].strip() == "deprecated" else AVAILABLE,
    }
    if row["accelerator"] != "cpu":
        cpus_each, ram_each = HOST_PER_ACCELERATOR[row["instance_type"]]
        accelerators = entry["numAccelerators"]
        entry.update(numCpus=cpus_each * accelerators, memoryGb=float(ram_each * accelerators))
        if row["accelerator"] == "gpu":
            entry["gpuMemoryGb"] = int(memory)
    return entry


def build_catalog(rows: Iterable[dict[str, str]]) -> dict:
    rows = list(rows)
    vendors = []
    for vendor, regions in REGIONS.items():
        vendor_rows = [row for row in rows if row["vendor"] == vendor]
        vendors.append(
            {
                "name": vendor,
                "regions": [
                    {
                        "name": region,
                        "computes": [
                            compute_entry(row, region)
                            for row in vendor_rows
                            if only is None or row["instance_type"] in only
                        ],
                    }
                    for region, only in regions.items()
                ],
            }
        )
    return {"vendors": vendors}


def read_prices(csv_path: Path = PRICES_CSV) -> list[dict[str, str]]:
    with csv_path.open(newline="") as handle:
        return list(csv.DictReader(handle))
