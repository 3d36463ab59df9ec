"""The bad-input matrix through the CLI (in-process; one subprocess smoke test): one clear line,
non-zero exit, no traceback, and neither data/ nor the previously built site touched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from support import Cli, copy_repo, goldrush


def fingerprint(folder: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(folder.rglob("*")):
        if file.is_file():
            digest.update(file.relative_to(folder).as_posix().encode() + file.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_repo(tmp_path_factory.mktemp("repo"))
    site = root / "_build" / "html"
    site.mkdir(parents=True)
    (site / "index.html").write_text("<p>the previous build</p>")
    return root


def assert_refused(result, message: str, repo: Path, before: tuple[str, str]) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert message in lines[0]
    assert "Traceback" not in output
    assert (fingerprint(repo / "data"), fingerprint(repo / "_build" / "html")) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "six-trillion"], "unknown chapter 'six-trillion'; chapters are: five-trillion"),
        (["run", "five-trillion", "--source", "yahoo"], "unknown source 'yahoo'; use one of: snapshot, live"),
        (["run", "five-trillion", "--as-of", "2025-10-32"], "--as-of '2025-10-32' is not a date; use YYYY-MM-DD"),
        (["run", "five-trillion", "--since", "2025-11-03"], "--since 2025-11-03 must be before --as-of 2025-10-29"),
        (
            ["run", "five-trillion", "--as-of", "2026-09-01"],
            "outside the snapshot's data for this chapter: use a date from 2016-02-01 to 2026-08-20",
        ),
        (["run", "five-trillion", "--start", "2020-01-01"], "takes --as-of, --since, --source; not --start"),
        (["run", "five-trillion", "--frobnicate"], "unrecognized arguments: --frobnicate"),
        (["data", "verify", "nvda_daily", "--schema"], "unrecognized arguments: --schema"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_bad_input_is_one_clear_line(repo: Path, cli: Cli, args: list[str], message: str) -> None:
    before = (fingerprint(repo / "data"), fingerprint(repo / "_build" / "html"))
    assert_refused(cli(*args, root=repo), message, repo, before)


def test_the_installed_command_refuses_bad_input_in_its_own_process(repo: Path) -> None:
    """The one subprocess smoke test: the real entry point, its exit code and its stderr."""
    before = (fingerprint(repo / "data"), fingerprint(repo / "_build" / "html"))
    assert_refused(goldrush("run", "six-trillion", root=repo), "unknown chapter 'six-trillion'", repo, before)


def test_damaged_data_file_stops_a_run_and_verify(tmp_path: Path, cli: Cli) -> None:
    root = copy_repo(tmp_path)
    (root / "_build" / "html").mkdir(parents=True)
    (root / "_build" / "html" / "index.html").write_text("<p>the previous build</p>")
    prices = root / "data" / "market" / "nvda_daily.csv"
    prices.write_text(prices.read_text().replace("207.039993", "307.039993"))
    before = (fingerprint(root / "data"), fingerprint(root / "_build" / "html"))
    message = "data/market/nvda_daily.csv is damaged: sha256"
    assert_refused(cli("run", "five-trillion", "--as-of", "2025-07-10", root=root), message, root, before)
    assert_refused(cli("data", "verify", root=root), message, root, before)
    assert not (root / "book" / "chapters" / "01_five_trillion.ipynb").exists()


def test_data_build_restores_a_damaged_snapshot(tmp_path: Path, cli: Cli) -> None:
    root = copy_repo(tmp_path)
    reference = fingerprint(root / "data")
    prices = root / "data" / "market" / "nvda_daily.csv"
    prices.write_text(prices.read_text()[:-100])
    result = cli("data", "build", root=root)
    assert result.returncode == 0, result.stderr
    assert "market/nvda_daily.csv" in result.stdout and "validating with Frictionless" in result.stdout
    assert fingerprint(root / "data") == reference
    verified = cli("data", "verify", root=root)
    assert verified.returncode == 0 and "22 files OK" in verified.stdout


def test_chapters_lists_parameters(repo: Path, cli: Cli) -> None:
    result = cli("chapters", root=repo)
    assert result.returncode == 0
    assert "five-trillion" in result.stdout and "as_of=2025-10-29" in result.stdout
    assert "--as-of: 2016-02-01 to 2026-08-20 (snapshot)" in result.stdout
