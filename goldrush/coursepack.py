"""Student notebooks and the course pack a teacher hands out.

A student notebook is a story chapter made to run anywhere: its parameters cell comes first, its
outputs and solutions are gone, and the MyST the book renders (``{glue:text}`` roles, exercise and
admonition directives) is turned into plain Markdown, each glued figure replaced by the value the
executed chapter computed for the parameters the notebook carries.

``build`` writes ``_build/coursepack/goldrush-coursepack-<version>.zip``: the student notebooks, the
data package, the claims register, a wheel of ``goldrush`` and a README with two commands. Installed
from the wheel, ``goldrush`` finds the pack's data and register from the working directory
(:func:`goldrush.paths.find_root`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat

from goldrush import __version__, assets, fingerprints, paths, snapshot
from goldrush.chapters import CHAPTERS, Chapter
from goldrush.errors import GoldrushError

Progress = Callable[[str], None]
GLUE_PREFIX = "application/papermill.record/"
GLUE_ROLE = re.compile(r"\{glue(?::(text|md))?\}`([^`]+)`")
DIRECTIVE = re.compile(r"```\{([\w-]+)\}[ \t]*([^\n]*)\n((?::[\w-]+:[^\n]*\n)*)\n?(.*?)\n?```", re.DOTALL)
SITE_ONLY = 'class="goldrush-student-notebook"'  # marks the paragraph offering the student notebook on the site
SITE_PACK = "goldrush-coursepack.zip"  # the pack's name on the site (the teaching page links it)
ZIP_DATE = (2026, 1, 1, 0, 0, 0)  # fixed timestamps: the same inputs give the same zip


def story_chapters() -> list[Chapter]:
    """The chapters a student works on (every chapter but the fact-check, which gathers them)."""
    return [chapter for chapter in CHAPTERS if not chapter.gathers]


def glued_values(executed: nbformat.NotebookNode) -> dict[str, dict[str, str]]:
    """Every value a notebook glued: key -> mime type -> content."""
    found = {}
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            key = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if key:
                found[key] = {m.removeprefix(GLUE_PREFIX): v for m, v in output.get("data", {}).items()}
    return found


def _paste(values: dict[str, dict[str, str]], notebook: str) -> Callable[[re.Match[str]], str]:
    from myst_nb.core.variables import format_plain_text

    def paste(match: re.Match[str]) -> str:
        kind, content = match.group(1) or "text", match.group(2)
        key, _, spec = content.partition(":") if kind == "text" else (content, "", "")
        if key not in values:
            raise GoldrushError(f"{notebook}: glued value {key!r} not found in the executed chapter; run `goldrush book`")
        if kind == "md":
            return values[key].get("text/markdown", values[key]["text/plain"])
        return format_plain_text(values[key]["text/plain"], spec)

    return paste


def _plain_markdown(text: str, counter: list[int]) -> str:
    """MyST directives as Markdown JupyterLab renders: admonitions become quotes, exercises numbered."""

    def replace(match: re.Match[str]) -> str:
        name, argument, body = match.group(1), match.group(2).strip(), match.group(4).strip()
        if name == "exercise":
            counter[0] += 1
            return f"**Exercise {counter[0]}.** {body}"
        title = argument or name.capitalize()
        return "\n".join(f"> {line}".rstrip() for line in [f"**{title}**", "", *body.splitlines()])

    return DIRECTIVE.sub(replace, text)


def _set_parameters(source: str, parameters: dict[str, Any]) -> str:
    for name, value in parameters.items():

        def replace(m: re.Match[str], value: Any = value) -> str:
            return f"{m.group(1)}{value!r}{m.group(2)}"

        source = re.sub(
            rf"^({re.escape(name)}\s*=\s*)[^#\n]*?(\s*(#.*)?)$",
            replace,
            source,
            flags=re.M,
        )
    return source


def student_notebook(chapter: Chapter, executed: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The student version of ``chapter``, with the figures and parameters of ``executed``."""
    parameters = executed.metadata.get("goldrush", {}).get("parameters") or chapter.defaults()
    paste = _paste(glued_values(executed), chapter.notebook)
    nb = nbformat.read(chapter.source, as_version=4)
    cells, in_solution, counter = [], False, [0]
    for cell in nb.cells:
        text = cell.source
        if cell.cell_type == "markdown" and "{solution-start}" in text:
            in_solution = True
        if in_solution:
            in_solution = "{solution-end}" not in text
            continue
        if cell.cell_type == "markdown":
            text = "\n\n".join(p for p in text.split("\n\n") if SITE_ONLY not in p)
            before = counter[0]
            cell.source = _plain_markdown(GLUE_ROLE.sub(paste, text), counter)
            cells.append(cell)
            cells += [nbformat.v4.new_code_cell(f"# Exercise {n}: your code here") for n in range(before + 1, counter[0] + 1)]
            continue
        cell.outputs, cell.execution_count = [], None
        cell.metadata.pop("execution", None)
        cell.metadata["tags"] = [t for t in cell.metadata.get("tags", []) if t == "parameters"]
        if cell.metadata["tags"]:
            cell.source = _set_parameters(text, parameters)
        cells.append(cell)
    first = [c for c in cells if "parameters" in c.metadata.get("tags", [])]
    if len(first) != 1:
        raise GoldrushError(f"{chapter.notebook}: expected one cell tagged 'parameters', found {len(first)}")
    note = nbformat.v4.new_markdown_cell(
        "Change the dates above and run every cell (*Run > Run All Cells*). The figures quoted in the "
        "text are those computed for the dates the notebook came with "
        f"({', '.join(f'`{k}` = {v}' for k, v in parameters.items())}); "
        "the code cells recompute them for yours."
    )
    nb.cells = first + [note] + [c for c in cells if c is not first[0]]
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }
    nbformat.validate(nb)
    return nb


def write_student_notebooks(folder: Path) -> list[Path]:
    """Write the student notebook of every executed story chapter into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for chapter in story_chapters():
        if chapter.executed.exists():
            target = folder / chapter.notebook
            nbformat.write(student_notebook(chapter, nbformat.read(chapter.executed, as_version=4)), target)
            written.append(target)
    return written


def wheel(folder: Path) -> Path:
    """Write a wheel of the ``goldrush`` package being run into ``folder``: built by setuptools' own
    build backend (no network) from a copy of its sources, so the checkout stays clean, and kept with
    the environment until those sources change (``goldrush.assets.kept``)."""
    source = Path(__file__).resolve().parent.parent
    if not (source / "pyproject.toml").is_file():
        raise GoldrushError(
            f"cannot build the goldrush wheel: no pyproject.toml beside {source / 'goldrush'} (use a clone of the repository)"
        )
    name = f"goldrush-{__version__}-py3-none-any.whl"
    made_from = " ".join(
        [
            name,
            fingerprints.tree(source / "goldrush", "*"),
            snapshot.sha256(source / "pyproject.toml"),
            snapshot.sha256(source / "README.md"),
        ]
    )
    target = folder / name
    target.write_bytes(assets.kept(name, made_from, lambda: _build_wheel(source, name)))
    return target


def _build_wheel(source: Path, name: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix=".wheel-") as tmp:
        tree = Path(tmp)
        for file in ("pyproject.toml", "README.md"):
            shutil.copy(source / file, tree / file)
        shutil.copytree(source / "goldrush", tree / "goldrush", ignore=shutil.ignore_patterns("__pycache__"))
        backend = "import sys; from setuptools import build_meta; print(build_meta.build_wheel(sys.argv[1]))"
        done = subprocess.run([sys.executable, "-c", backend, str(tree / "dist")], cwd=tree, capture_output=True, text=True)
        if done.returncode != 0:
            raise GoldrushError(
                f"cannot build the goldrush wheel: {(done.stderr.strip().splitlines() or ['setuptools failed'])[-1]}"
            )
        built = tree / "dist" / done.stdout.strip().splitlines()[-1]
        if built.name != name:
            raise GoldrushError(f"setuptools named the wheel {built.name}, expected {name}")
        return built.read_bytes()


README = """# Gold Rush course pack {version}

Four chapters of the Gold Rush data book as notebooks to work through, with the data and the
register of the article's claims they read. Python 3.11 or 3.12 is all you need.

```console
python3 -m venv .venv && .venv/bin/pip install {wheel} jupyterlab
.venv/bin/jupyter lab notebooks
```

The first command installs the `goldrush` package and its dependencies (from the Python Package
Index) and JupyterLab into `.venv`; the second opens the notebooks. On Windows use
`.venv\\Scripts\\` instead of `.venv/bin/`. Run JupyterLab from this folder (or a folder inside it):
the package finds `data/` and `seeds/` from there.

Each notebook starts with its parameters (dates); change them and run all cells to redo the
chapter for other dates. The exercises are at the end; their solutions are in the book.

| folder | what |
|---|---|
| `notebooks/` | the four story chapters, outputs cleared, solutions removed |
| `data/` | the data snapshot, a Frictionless Data Package: `datapackage.json` names every file's source and licence |
| `seeds/` | our register of the article: its 40 claims in our own words |
| `{wheel}` | the `goldrush` package the notebooks import |

Licences: Coin Metrics community data (in `data/crypto/btc_hash_rate_sources.csv`) is CC BY-NC 4.0:
credit Coin Metrics and do not use it commercially. Every other dataset's licence is in
`data/datapackage.json`.
"""


def _add_tree(pack: zipfile.ZipFile, folder: Path, arcname: str, skip: Path | None = None) -> None:
    """Add ``folder``'s files under ``arcname``, leaving out ``skip`` (a subfolder) and caches."""
    files = (p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for file in sorted(f for f in files if skip is None or not f.is_relative_to(skip)):
        _add_file(pack, file.read_bytes(), f"{arcname}/{file.relative_to(folder).as_posix()}")


def _add_file(pack: zipfile.ZipFile, content: bytes, arcname: str) -> None:
    info = zipfile.ZipInfo(arcname, ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    pack.writestr(info, content)


def write_pack(target: Path, name: str = f"goldrush-coursepack-{__version__}.zip", notebooks: Path | None = None) -> Path:
    """Zip the student notebooks of the executed chapters (written here unless ``notebooks`` holds
    them already), the data package, the claims register, a wheel and the README into ``target / name``."""
    folder = f"goldrush-coursepack-{__version__}"
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".coursepack-", dir=target) as tmp:
        staged = Path(tmp)
        if notebooks is None:
            notebooks = staged / "notebooks"
            written = write_student_notebooks(notebooks)
        else:
            written = sorted(notebooks.glob("*.ipynb"))
        if len(written) != len(story_chapters()):
            raise GoldrushError("the story chapters have not all been executed; run `goldrush book` first")
        built = wheel(staged)
        zipped = staged / name
        with zipfile.ZipFile(zipped, "w") as pack:
            _add_file(pack, README.format(version=__version__, wheel=built.name).encode(), f"{folder}/README.md")
            _add_file(pack, built.read_bytes(), f"{folder}/{built.name}")
            _add_tree(pack, notebooks, f"{folder}/notebooks")
            _add_tree(pack, paths.DATA, f"{folder}/data", skip=paths.REFERENCE)
            _add_tree(pack, paths.SEEDS, f"{folder}/seeds")
        zipped.replace(target / name)
    return target / name


def publish(site: Path) -> None:
    """Put the student notebooks and the course pack into the built site (``notebooks/``, ``coursepack/``)."""
    write_student_notebooks(site / "notebooks")
    write_pack(site / "coursepack", SITE_PACK, notebooks=site / "notebooks")


def build(target: Path | None = None, progress: Progress = print) -> Path:
    """`make coursepack`: build the book on its default parameters (nothing is re-executed when
    unchanged), then write ``_build/coursepack/goldrush-coursepack-<version>.zip``."""
    from goldrush import cli

    if cli.main(["book"]) != 0:
        raise GoldrushError("the book did not build (see above); no course pack was written")
    final = write_pack(target or paths.BUILD / "coursepack")
    progress(f"  {final} ({final.stat().st_size / 1024:.0f} kB)")
    return final


def main() -> None:
    try:
        build()
    except GoldrushError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
