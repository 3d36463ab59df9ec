"""The snapshot catalogue (catalog.yml): each resource's schema and provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from goldrush import yamlfiles

CATALOG_FILE = Path(__file__).with_name("catalog.yml")


@dataclass(frozen=True)
class Resource:
    """One dataset in ``data/``: where it comes from, its schema and its provenance."""

    name: str
    group: str
    title: str
    description: str
    fields: list[dict[str, Any]]
    primary_key: list[str]
    sources: list[dict[str, str]]
    licenses: list[str]
    transformation: str
    doubts: list[str] = field(default_factory=list)
    source_file: str = ""  # path under data/reference/
    dedupe: bool = False

    @property
    def path(self) -> str:
        """Path inside ``data/``."""
        return f"{self.group}/{self.name}.csv"

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.fields]


@dataclass(frozen=True)
class Catalog:
    retrieved: str
    groups: dict[str, dict[str, str]]
    licenses: dict[str, dict[str, str]]
    resources: dict[str, Resource]


@cache
def catalog() -> Catalog:
    raw = yamlfiles.read(CATALOG_FILE)
    resources = {}
    for entry in raw["resources"]:
        entry = dict(entry)
        source_file = entry.pop("from", f"{entry['group']}/{entry['name']}.csv")
        resources[entry["name"]] = Resource(source_file=source_file, **entry)
    return Catalog(raw["retrieved"], raw["groups"], raw["licenses"], resources)


def resource(name: str) -> Resource:
    from goldrush.errors import GoldrushError

    try:
        return catalog().resources[name]
    except KeyError:
        known = ", ".join(sorted(catalog().resources))
        raise GoldrushError(f"unknown dataset {name!r}; known datasets: {known}") from None
