"""The optional TOML config file: extra users, orgs and tokens, gated access, hardware changes and quotas.

    [users.alice]
    fullname = "Alice Martin"
    orgs = ["acme"]
    gated_repos = ["google/gemma-1.1-2b-it"]   # or ["*"] for every gated repo
    tokens = ["hf_alice_write"]
    read_tokens = ["hf_alice_read"]             # may read, not create/update/delete/pause/resume

    [orgs.acme]
    fullname = "Acme Corp"

    [hardware."aws-us-east-1-nvidia-a100-x1"]
    status = "not_available"                     # available | low_availability | not_available | ...
    price_per_hour = 3.1

    [quotas]
    default = 8                                  # accelerators of one type per namespace and vendor
    [quotas.namespaces.acme]
    nvidia-a100 = 2

Built-in identities (see ``hubsim.accounts``) are always present.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from hubsim.accounts import Accounts, Org, Token, User, builtin_accounts_parts
from hubsim.endpoints.hardware import HardwareOverride
from hubsim.endpoints.quota import DEFAULT_MAX_ACCELERATORS, QuotaPolicy


@dataclass(frozen=True)
class SimConfig:
    accounts: Accounts
    hardware_overrides: dict[str, HardwareOverride] = field(default_factory=dict)
    quotas: QuotaPolicy = field(default_factory=QuotaPolicy)


def load_config(path: Path | None) -> SimConfig:
    data = tomllib.loads(path.read_text()) if path else {}
    return SimConfig(
        accounts=_accounts(data),
        hardware_overrides={
            compute_id: HardwareOverride(
                status=entry.get("status"), price_per_hour=entry.get("price_per_hour")
            )
            for compute_id, entry in data.get("hardware", {}).items()
        },
        quotas=QuotaPolicy(
            default_max=data.get("quotas", {}).get("default", DEFAULT_MAX_ACCELERATORS),
            per_namespace=data.get("quotas", {}).get("namespaces", {}),
        ),
    )


def _accounts(data: dict) -> Accounts:
    users, orgs, tokens = builtin_accounts_parts()
    orgs += [Org(name, entry.get("fullname", name)) for name, entry in data.get("orgs", {}).items()]
    for name, entry in data.get("users", {}).items():
        users.append(
            User(
                name,
                entry.get("fullname", name),
                orgs=tuple(entry.get("orgs", ())),
                gated_repos=frozenset(entry.get("gated_repos", ())),
            )
        )
        tokens += [Token(value, name, "write") for value in entry.get("tokens", ())]
        tokens += [Token(value, name, "read") for value in entry.get("read_tokens", ())]
    return Accounts(users, orgs, tokens)
