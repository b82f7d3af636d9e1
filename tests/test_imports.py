"""Heavy libraries load only when they are needed: never for the map page's rerun or the people list."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("matplotlib", "pandas", "fpdf", "docx", "networkx", "pyvis")


def loaded_after(*modules: str) -> list[str]:
    code = (
        "import json, sys\n"
        + "".join(f"import {module}\n" for module in modules)
        + f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return list(json.loads(done.stdout))


@pytest.mark.parametrize(
    "modules",
    [
        # what pages/map.py imports
        ("ecomap.analysis", "ecomap.conversation", "ecomap.layout", "ecomap.model", "ecomap.render.interactive",
         "ecomap.vocab", "ecomap.wording", "ui.editing", "ui.common", "ui.legend", "ui.mapview"),
        # what streamlit_app.py (the people page) imports
        ("ecomap.errors", "ecomap.examples", "ecomap.model", "ui.common", "ui.importing", "ui.messages"),
        # the store and the caseload
        ("ecomap.store", "ecomap.caseload"),
    ],
    ids=["map page", "people page", "store"],
)  # fmt: skip
def test_no_heavy_library_is_imported(modules: tuple[str, ...]) -> None:
    assert loaded_after(*modules) == []
