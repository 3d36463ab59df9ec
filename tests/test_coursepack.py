"""The course pack: student notebooks, and the pack run from an empty folder in a fresh venv, offline."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from support import copy_repo

from goldrush import __version__, coursepack, paths
from goldrush.chapters import CHAPTERS

STORY = [c for c in CHAPTERS if not c.gathers]


def root_seen_from(cwd: Path, env: dict[str, str] | None = None) -> Path:
    """``paths.ROOT`` as a fresh interpreter started in ``cwd`` resolves it."""
    base = {k: v for k, v in os.environ.items() if k != "GOLDRUSH_ROOT"}
    done = subprocess.run(
        [sys.executable, "-c", "from goldrush import paths; print(paths.ROOT)"],
        cwd=cwd, env=base | (env or {}), capture_output=True, text=True, check=True,
    )
    return Path(done.stdout.strip())


def test_root_is_the_env_setting_else_the_nearest_data_package_upward_else_the_repository(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    (pack / "data").mkdir(parents=True)
    (pack / "data" / "datapackage.json").write_text("{}")
    (pack / "notebooks").mkdir()
    (tmp_path / "empty").mkdir()
    repository = Path(coursepack.__file__).resolve().parent.parent
    assert root_seen_from(pack / "notebooks") == pack.resolve()
    assert root_seen_from(tmp_path / "empty") == repository
    assert root_seen_from(repository / "notebooks") == repository
    assert root_seen_from(pack, {"GOLDRUSH_ROOT": str(tmp_path / "empty")}) == tmp_path / "empty"


def offline(command: list[str]) -> tuple[list[str], dict[str, str]]:
    """``command`` with no network: in its own network namespace where the system allows it
    (loopback only, for the kernel), else with every proxy pointed at a closed port."""
    if (
        shutil.which("unshare")
        and shutil.which("ip")
        and subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0
    ):
        return ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *command], {}
    dead = "http://127.0.0.1:9"
    return command, {
        "HTTP_PROXY": dead,
        "HTTPS_PROXY": dead,
        "http_proxy": dead,
        "https_proxy": dead,
        "NO_PROXY": "127.0.0.1,localhost",
    }


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`make coursepack` on a scratch copy of the repository, unzipped into an empty folder."""
    scratch = copy_repo(tmp_path_factory.mktemp("repo"))
    env = {**os.environ, "GOLDRUSH_ROOT": str(scratch)}
    done = subprocess.run([sys.executable, "-m", "goldrush.coursepack"], env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    zipped = scratch / "_build" / "coursepack" / f"goldrush-coursepack-{__version__}.zip"
    empty = tmp_path_factory.mktemp("classroom")
    with zipfile.ZipFile(zipped) as archive:
        archive.extractall(empty)
    (empty / "executed").symlink_to(scratch / "book" / "chapters")
    return empty / f"goldrush-coursepack-{__version__}"


@pytest.mark.slow
def test_pack_holds_notebooks_data_register_wheel_and_a_two_command_readme(pack: Path) -> None:
    assert sorted(p.name for p in (pack / "notebooks").iterdir()) == [c.notebook for c in STORY]
    assert sorted(p.name for p in pack.glob("*.whl")) == [f"goldrush-{__version__}-py3-none-any.whl"]
    assert (pack / "seeds" / "claims.yml").read_bytes() == (paths.SEEDS / "claims.yml").read_bytes()
    assert (pack / "data" / "datapackage.json").read_bytes() == paths.DATAPACKAGE.read_bytes()
    commands = re.findall(r"```console\n(.*?)```", (pack / "README.md").read_text(), re.S)
    assert len(commands) == 1 and len(commands[0].strip().splitlines()) == 2
    assert f"pip install goldrush-{__version__}-py3-none-any.whl" in commands[0] and "jupyter lab" in commands[0]


@pytest.mark.slow
def test_student_notebooks_have_parameters_first_no_outputs_solutions_or_myst(pack: Path) -> None:
    for chapter in STORY:
        student = nbformat.read(pack / "notebooks" / chapter.notebook, as_version=4)
        executed = nbformat.read(pack.parent / "executed" / chapter.notebook, as_version=4)
        assert student.cells[0].metadata["tags"] == ["parameters"]
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in student.cells if c.cell_type == "code")
        text = "\n".join(c.source for c in student.cells)
        assert "{glue" not in text and "```{" not in text and "{solution" not in text and "glue(\"ex_" not in text
        assert "goldrush-student-notebook" not in text
        exercises = re.findall(r"\*\*Exercise (\d+)\.\*\*", text)
        assert len(exercises) >= 3 and exercises == [str(n) for n in range(1, len(exercises) + 1)]
        # every figure the chapter's prose glues appears, as the executed chapter computed it
        source = "\n".join(c.source for c in nbformat.read(chapter.source, as_version=4).cells if c.cell_type == "markdown")
        values = coursepack.glued_values(executed)
        prose = source[: source.index("## Exercises")]
        for kind, content in set(coursepack.GLUE_ROLE.findall(prose)):
            key, _, spec = content.partition(":")
            if (kind or "text") == "text":
                from myst_nb.core.variables import format_plain_text

                assert format_plain_text(values[key]["text/plain"], spec) in text


@pytest.mark.slow
def test_every_student_notebook_runs_from_the_pack_in_a_fresh_venv_offline(pack: Path) -> None:
    """Install the wheel in a new virtual environment (dependencies from the package index), then run
    each notebook with papermill, with no network, from the unzipped pack."""
    uv = Path(sys.executable).with_name("uv")
    venv = pack / ".venv"
    subprocess.run([str(uv), "venv", "--quiet", "--python", sys._base_executable, str(venv)], check=True)
    wheel = next(pack.glob("*.whl"))
    subprocess.run(
        [str(uv), "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), str(wheel)], check=True, timeout=600
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOLDRUSH_", "PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    for chapter in STORY:
        command, extra = offline(
            [
                str(venv / "bin" / "papermill"),
                "--no-progress-bar",
                "-k",
                "python3",
                chapter.notebook,
                f"../ran-{chapter.notebook}",
            ]
        )
        done = subprocess.run(command, cwd=pack / "notebooks", env=env | extra, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        ran = nbformat.read(pack / f"ran-{chapter.notebook}", as_version=4)
        assert not [o for c in ran.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        site_packages = next((venv / "lib").glob("python*/site-packages"))
        assert (site_packages / "goldrush" / "checks").is_dir()  # the wheel, not this checkout, ran


def test_every_story_chapter_has_three_exercises_with_folded_executable_solutions() -> None:
    for chapter in STORY:
        cells = nbformat.read(chapter.source, as_version=4).cells
        start = next(i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith("## Exercises"))
        labels = re.findall(r"```\{exercise\}\n:label: (\S+)", "\n".join(c.source for c in cells[start:]))
        assert len(labels) >= 3, chapter.notebook
        for label in labels:
            opening = next(i for i, c in enumerate(cells) if c.source.startswith(f"```{{solution-start}} {label}\n"))
            assert ":class: dropdown" in cells[opening].source and ":hidden:" not in cells[opening].source
            closing = next(i for i in range(opening, len(cells)) if "```{solution-end}" in cells[i].source)
            body = cells[opening + 1 : closing + 1]
            assert any(c.cell_type == "code" and c.source.strip() for c in body), label
            glued = set(re.findall(r'glue\("(\w+)"', "\n".join(c.source for c in body if c.cell_type == "code")))
            prose = "\n".join(c.source for c in body if c.cell_type == "markdown")
            used = {m.split(":")[0] for m in re.findall(r"\{glue:text\}`([^`]+)`", prose)}
            assert used and used <= glued, label  # the solution's figures are glued, not typed
            assert not re.search(
                r"(?<![\w`.])\d[\d,.]*\s*(%|dollars|billion|million)", re.sub(r"\{glue:text\}`[^`]+`", "", prose)
            ), label
        link = f'href="../../notebooks/{chapter.notebook}"'
        assert link in cells[start].source


def test_teaching_page_links_the_pack_and_names_every_licence_in_the_data_package() -> None:
    page = (paths.BOOK / "teaching.md").read_text(encoding="utf-8")
    assert f'href="../coursepack/{coursepack.SITE_PACK}"' in page
    for chapter in STORY:
        assert f'href="../notebooks/{chapter.notebook}"' in page
    table = page[page.index("## Data licences"):]
    package = json.loads(paths.DATAPACKAGE.read_text(encoding="utf-8"))
    for resource in package["resources"]:
        for licence in resource["licenses"]:
            assert f"| {licence['name']} |" in table, licence["name"]
            if licence["name"].startswith("CC-BY-NC"):
                assert f"`{resource['name']}`" in table.split(f"| {licence['name']} |")[1].split("\n")[0]
