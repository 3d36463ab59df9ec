"""The snapshot in data/: deterministic build, hash and schema checks, nothing half-written."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from goldrush import paths, snapshot
from goldrush.errors import GoldrushError


def tree(folder: Path) -> dict[str, bytes]:
    """The package's files (the reference copies it is built from left out), by relative path."""
    files = (p for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_relative_to(folder / paths.REFERENCE.name))
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(paths.DATA, target)
    return target


def test_build_reproduces_committed_snapshot_byte_for_byte(tmp_path: Path) -> None:
    built = snapshot.build(target=tmp_path / "data", progress=lambda _: None)
    assert tree(built) == tree(paths.DATA)


def test_a_clone_with_nothing_beside_it_rebuilds_the_data_byte_for_byte(tmp_path: Path) -> None:
    """The reference copies live in the repository: a clone of the last commit, alone in an empty
    folder, rebuilds its committed data/ byte for byte with its own code."""
    if not (paths.ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    clone = tmp_path / "alone" / "goldrush"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(paths.ROOT), str(clone)], check=True)
    assert [p.name for p in clone.parent.iterdir()] == ["goldrush"]
    committed = tree(clone / "data")
    for built in (clone / "data").iterdir():  # everything but the reference copies it is built from
        if built.name != paths.REFERENCE.name:
            shutil.rmtree(built) if built.is_dir() else built.unlink()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOLDRUSH_")} | {"PYTHONPATH": str(clone)}
    done = subprocess.run(
        [sys.executable, "-m", "goldrush.cli", "data", "build"], cwd=clone, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert committed and tree(clone / "data") == committed


def test_the_frictionless_cli_accepts_the_package() -> None:
    """``frictionless validate`` (the standard tool) finds no package or resource error."""
    cli = Path(sys.executable).with_name("frictionless")
    done = subprocess.run([str(cli), "validate", "--json", str(paths.DATAPACKAGE)], capture_output=True, text=True)
    report = json.loads(done.stdout)
    assert done.returncode == 0 and report["valid"], report["errors"]
    assert len(report["tasks"]) == len(json.loads(paths.DATAPACKAGE.read_text())["resources"])
    assert all(task["valid"] and task["type"] == "table" for task in report["tasks"])


def test_every_group_records_its_provenance_in_our_own_readme() -> None:
    package = json.loads(paths.DATAPACKAGE.read_text())
    for res in package["resources"]:
        assert (paths.DATA / res["referenceCopy"]).is_file()  # relative to the package, as every path in it
        readme = (paths.DATA / res["sourcesDocument"]).read_text()
        assert readme == (paths.REFERENCE / res["sourcesDocument"]).read_text()
        assert f"`{res['name']}`" in readme and res["referenceCopy"].split("/")[-1] in readme
    assert not list(paths.DATA.rglob("SOURCES.md"))


def test_package_records_provenance_for_every_resource() -> None:
    package = json.loads(paths.DATAPACKAGE.read_text())
    names = {r["name"] for r in package["resources"]}
    assert {"nvda_daily", "total_crypto_market_cap", "nvidia_quarterly", "gdp_by_country", "events"} <= names
    for res in package["resources"]:
        assert res["hash"].startswith("sha256:") and res["rows"] > 0 and res["bytes"] > 0
        assert res["sources"] and all(s["provider"] and s["path"] for s in res["sources"])
        assert res["licenses"] and res["retrieved"] and res["transformation"]
        assert (paths.DATA / res["path"]).is_file()


def test_known_gaps_are_carried_into_the_package() -> None:
    crypto = next(r for r in json.loads(paths.DATAPACKAGE.read_text())["resources"] if r["name"] == "total_crypto_market_cap")
    doubts = " ".join(crypto["doubts"])
    assert "2025-08-16 to 2025-10-26" in doubts and "2025-10-27" in doubts


def test_duplicate_rows_in_reference_copy_are_dropped() -> None:
    rows = (paths.DATA / "market" / "aapl_msft_shares_outstanding.csv").read_text().splitlines()
    assert len(rows) == 3  # header + AAPL + MSFT (listed twice in the reference copy)


def test_verify_passes_on_committed_snapshot() -> None:
    assert snapshot.verify() == len(json.loads(paths.DATAPACKAGE.read_text())["resources"])


def test_verify_names_a_damaged_file(data_copy: Path) -> None:
    file = data_copy / "market" / "nvda_daily.csv"
    file.write_text(file.read_text().replace("207.039993", "207.039994"))
    with pytest.raises(GoldrushError, match=r"data/market/nvda_daily.csv is damaged: sha256"):
        snapshot.verify(data_copy)


def test_verify_names_a_schema_violation_even_with_matching_hash(data_copy: Path) -> None:
    file = data_copy / "market" / "sp500_daily.csv"
    file.write_text(file.read_text().replace("6890.59", "n/a"))
    package = json.loads((data_copy / "datapackage.json").read_text())
    entry = next(r for r in package["resources"] if r["name"] == "sp500_daily")
    entry["hash"] = f"sha256:{snapshot.sha256(file)}"
    (data_copy / "datapackage.json").write_text(json.dumps(package))
    with pytest.raises(GoldrushError, match=r"data/market/sp500_daily.csv: schema check failed"):
        snapshot.verify(data_copy)


def test_failed_build_leaves_existing_snapshot_untouched(tmp_path: Path, data_copy: Path) -> None:
    broken = tmp_path / "shared"
    shutil.copytree(paths.shared_data(), broken)
    (broken / "macro" / "events.csv").unlink()
    before = tree(data_copy)
    with pytest.raises(GoldrushError, match="reference copy missing"):
        snapshot.build(source=broken, target=data_copy, progress=lambda _: None)
    assert tree(data_copy) == before
    assert not list(tmp_path.glob(".data-build-*"))


def test_build_rejects_a_reference_file_whose_columns_changed(tmp_path: Path, data_copy: Path) -> None:
    broken = tmp_path / "shared"
    shutil.copytree(paths.shared_data(), broken)
    file = broken / "market" / "sp500_daily.csv"
    file.write_text(file.read_text().replace("date,close", "date,Close", 1))
    with pytest.raises(GoldrushError, match="do not match the catalogue"):
        snapshot.build(source=broken, target=data_copy, progress=lambda _: None)
