"""CITATION.cff: valid Citation File Format, the package's version, the site's address; the landing page cites it."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import jsonschema
import pytest

from goldrush import __version__, citation, site

SCHEMA = Path(__file__).parent / "fixtures" / "cff" / "schema-1.2.0.json"


def test_citation_file_is_valid_citation_file_format() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(citation.cff())


def test_an_invalid_citation_is_caught_by_the_schema() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    broken = {k: v for k, v in citation.cff().items() if k != "authors"}
    with pytest.raises(jsonschema.ValidationError, match="authors"):
        jsonschema.Draft7Validator(schema).validate(broken)


def test_citation_carries_the_package_version_and_the_site_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOLDRUSH_BASE_URL", raising=False)  # the configured address, not a deployment's
    meta = citation.cff()
    assert meta["version"] == __version__ == site.version()
    assert meta["url"] == site.base_url()
    line = citation.citation()
    assert f"Version {__version__}" in line and site.base_url() in line and meta["title"] in line


def test_landing_page_cites_through_the_substitutions_the_extension_sets() -> None:
    page = (Path(citation.__file__).resolve().parent.parent / "book" / "index.md").read_text(encoding="utf-8")
    block = page[page.index("## How to cite"):]
    assert "{{ version }}" in block and "{{ citation }}" in block
    config = SimpleNamespace(myst_substitutions={"kept": "yes"})
    citation._substitutions(None, config)
    assert config.myst_substitutions == {"kept": "yes", "version": __version__, "citation": citation.citation()}
