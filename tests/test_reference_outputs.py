"""The committed headline outputs that nbval compares: present, and a changed figure fails nbval."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from goldrush import chapters, paths


def checked_cells(notebook: dict) -> list[dict]:
    return [c for c in notebook["cells"] if "nbval-check-output" in c["metadata"].get("tags", [])]


def test_every_chapter_has_headline_outputs_and_nothing_else_committed() -> None:
    for chapter in chapters.CHAPTERS:
        notebook = json.loads(chapter.source.read_text())
        cells, checked = notebook["cells"], checked_cells(notebook)
        assert checked and all(c["outputs"] for c in checked), chapter.slug
        unchecked = [c for c in cells if c["cell_type"] == "code" and c not in checked]
        assert all(not c["outputs"] for c in unchecked), chapter.slug
        for cell in checked:
            assert all(set(o.get("data", {})) == {"text/plain"} for o in cell["outputs"])


def test_nbval_fails_when_a_headline_figure_changes(tmp_path: Path) -> None:
    source = chapters.get("five-trillion").source
    notebook = json.loads(source.read_text())
    verdicts = checked_cells(notebook)[-1]["outputs"][0]["data"]
    verdicts["text/plain"] = [line.replace("5.031", "5.032") for line in verdicts["text/plain"]]
    (tmp_path / source.name).write_text(json.dumps(notebook))
    shutil.copy(paths.NOTEBOOKS / "conftest.py", tmp_path / "conftest.py")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-p", "no:cacheprovider", "-q", source.name],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 1, result.stdout
    assert "Cell outputs differ" in result.stdout and "1 failed" in result.stdout

