"""The provider/hardware list, built from the service's published prices (``hardware-prices.csv``).

The CSV gives vendor, instance, price, accelerator count and memory (GPU memory for GPUs, RAM for CPUs); the
host tables below add what the CSV lacks (vCPUs and RAM that come with each accelerator, regions).
"""

import csv
from collections.abc import Iterable
from pathlib import Path

PRICES_CSV = Path(__file__).with_name("hardware-prices.csv")

# vCPUs and GB of RAM of the host per accelerator, from the instance families the service runs on.
HOST_PER_ACCELERATOR = {
    "nvidia-t4": (4, 16),
    "nvidia-l4": (8, 30),
    "nvidia-a10g": (6, 32),
    "nvidia-l40s": (8, 62),
    "nvidia-a100": (11, 142),
    "nvidia-h100": (23, 240),
    "nvidia-h200": (23, 256),
    "inf2": (4, 16),
}

# Regions offered per vendor; a region lists only the instance types it has (None: all of the vendor's).
REGIONS: dict[str, dict[str, set[str] | None]] = {
    "aws": {
        "us-east-1": None,
        "eu-west-1": {"intel-spr", "intel-icl", "nvidia-t4", "nvidia-l4", "nvidia-a10g"},
    },
    "azure": {"eastus": None},
    "gcp": {"us-east4": None},
}


def compute_entry(row: dict[str, str], region: str) -> dict:
    size = int(row["instance_size"].lstrip("x"))
    accelerators = int(row["accelerators"])
    memory = float(row["memory_gb"])
    if row["accelerator"] == "cpu":
        num_cpus, ram, gpu_memory = size, memory, None
    else:
        cpus_each, ram_each = HOST_PER_ACCELERATOR[row["instance_type"]]
        num_cpus, ram = cpus_each * accelerators, ram_each * accelerators
        gpu_memory = int(memory) if row["accelerator"] == "gpu" else None
    return {
        "id": f"{row['vendor']}-{region}-{row['instance_type']}-{row['instance_size']}",
        "accelerator": row["accelerator"],
        "instanceType": row["instance_type"],
        "instanceSize": row["instance_size"],
        "architecture": row["architecture"],
        "numAccelerators": accelerators,
        "numCpus": num_cpus,
        "memoryGb": int(ram) if float(ram).is_integer() else ram,
        "gpuMemoryGb": gpu_memory,
        "pricePerHour": float(row["price_per_hour_usd"]),
        "status": "deprecated" if row["note"].strip() == "deprecated" else "available",
    }


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
