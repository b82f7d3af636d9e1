"""Imports run one way, and heavy libraries load only when they are needed.

The library's layers (:data:`LAYERS`, described in the same order in ``docs/DESIGN.md``): a module
imports modules of its own layer and of the layers before it, never after. The library never imports
Streamlit, ``ui/`` or a page; ``ui/`` never imports a page; a page never imports another page. Every
import statement counts, wherever it is: at the top, inside a function, under ``TYPE_CHECKING``.

Heavy libraries (matplotlib, networkx, ...) are never loaded for the map page's rerun or the people
list: the test imports what those pages import and looks.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest

ROOT = Path(__file__).resolve().parent.parent
DESIGN = ROOT / "docs" / "DESIGN.md"
HEAVY = ("matplotlib", "pandas", "numpy", "fpdf", "docx", "networkx", "pyvis")


@dataclass(frozen=True)
class Layer:
    """A layer of the library: its name and its modules (a module's name, or ``package.*``)."""

    name: str
    modules: tuple[str, ...]


#: The library's layers, first to last: each may import its own and the ones before it.
LAYERS: tuple[Layer, ...] = (
    Layer("foundation", ("ecomap.errors", "ecomap.vocab", "ecomap.i18n", "ecomap.files", "ecomap.settings")),
    Layer("model", ("ecomap", "ecomap.model", "ecomap.versions")),
    Layer("graph", ("ecomap.graph", "ecomap.layout")),
    Layer(
        "analysis",
        ("ecomap.analysis", "ecomap.caseload", "ecomap.conversation", "ecomap.diff", "ecomap.pseudonym",
         "ecomap.search", "ecomap.wording"),
    ),
    Layer("io", ("ecomap.io.*",)),
    Layer("render", ("ecomap.render.*",)),
    Layer("report", ("ecomap.report",)),
    Layer(
        "store",
        ("ecomap.access", "ecomap.store", "ecomap.database", "ecomap.migrations.*", "ecomap.checkout",
         "ecomap.pairing"),
    ),
    Layer("front doors", ("ecomap.cli", "ecomap.__main__", "ecomap.examples", "ecomap.exports", "ecomap.rights")),
)  # fmt: skip

FIRST_PARTY = ("ecomap", "ui", "pages", "streamlit_app")


# -- reading the imports ----------------------------------------------------------------------------


def module_name(path: str) -> str:
    """``ecomap/io/base.py`` -> ``ecomap.io.base``; a package's ``__init__.py`` is the package."""
    parts = list(PurePosixPath(path).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@dataclass(frozen=True)
class Import:
    """One module named by one import statement."""

    target: str
    line: int
    statement: str
    top_level: bool


def imports_in(path: str, source: str, known: Collection[str]) -> Iterator[Import]:
    """Every module the source imports, anywhere in it.

    ``from package import name`` imports the module ``package.name`` when there is one (``known``),
    otherwise ``package`` itself.
    """
    tree = ast.parse(source, filename=path)
    package = module_name(path) if path.endswith("__init__.py") else module_name(path).rpartition(".")[0]
    top = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in dict.fromkeys(targets):
            yield Import(target, node.lineno, ast.unparse(node), id(node) in top)


# -- the rules --------------------------------------------------------------------------------------


def _matches(module: str, pattern: str) -> bool:
    if pattern.endswith(".*"):
        package = pattern.removesuffix(".*")
        return module == package or module.startswith(f"{package}.")
    return module == pattern


def layers_of(module: str) -> list[int]:
    return [rank for rank, layer in enumerate(LAYERS) if any(_matches(module, p) for p in layer.modules)]


def _is_page(module: str) -> bool:
    return module == "streamlit_app" or module.split(".")[0] == "pages"


def rule_broken(module: str, target: str) -> str | None:
    """What is wrong with ``module`` importing ``target``, or None."""
    top = target.split(".")[0]
    if module.split(".")[0] == "ecomap":
        if top == "streamlit":
            return "the library never imports Streamlit"
        if top == "ui":
            return "the library never imports ui/"
        if _is_page(target):
            return "the library never imports a page"
        mine, theirs = layers_of(module), layers_of(target)
        if top == "ecomap" and len(mine) == 1 and len(theirs) == 1 and theirs[0] > mine[0]:
            lower, higher = LAYERS[mine[0]], LAYERS[theirs[0]]
            return (
                f"{module} is in the {lower.name} layer ({mine[0] + 1}) and imports {target} of the "
                f"{higher.name} layer ({theirs[0] + 1}), which comes after it"
            )
    elif module.split(".")[0] == "ui":
        if _is_page(target):
            return "ui/ never imports a page"
    elif _is_page(module) and _is_page(target):
        return "a page never imports another page"
    return None


def problems(files: Mapping[str, str]) -> list[str]:
    """Every broken rule in ``files`` (path -> source), one line each, naming the module and the import."""
    known = {module_name(path) for path in files}
    found: list[str] = []
    for path, source in files.items():
        module = module_name(path)
        if module.split(".")[0] == "ecomap" and len(layers_of(module)) != 1:
            where = "no layer" if not layers_of(module) else "more than one layer"
            found.append(f"{path}: {module} is in {where} of LAYERS (tests/test_imports.py, docs/DESIGN.md)")
        for imported in imports_in(path, source, known):
            broken = rule_broken(module, imported.target)
            if broken:
                found.append(f"{path}:{imported.line}: `{imported.statement}`: {broken}")
    return found


def project_files() -> dict[str, str]:
    """Every module of the library, ``ui/``, ``pages/`` and ``streamlit_app.py``: path -> source."""
    paths = [ROOT / "streamlit_app.py", *(p for top in ("ecomap", "ui", "pages") for p in (ROOT / top).rglob("*.py"))]
    return {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in sorted(paths)}


# -- the project keeps them -------------------------------------------------------------------------


def test_imports_run_one_way() -> None:
    broken = problems(project_files())
    assert not broken, "imports that break the layers:\n" + "\n".join(broken)


def test_the_design_document_lists_the_same_layers() -> None:
    text = DESIGN.read_text(encoding="utf-8")
    section = text.split("\n## Layers", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\d+) \| ([^|]+?) \| ([^|]+?) \|", section, flags=re.MULTILINE)
    described = [(int(rank), name, tuple(re.findall(r"`([^`]+)`", modules))) for rank, name, modules in rows]
    assert described == [(rank + 1, layer.name, layer.modules) for rank, layer in enumerate(LAYERS)]


# -- the checker itself -----------------------------------------------------------------------------

LIBRARY = {
    "ecomap/__init__.py": "from ecomap.model import EcoMap\n",
    "ecomap/model.py": "from ecomap.errors import MapInvalid\n",
    "ecomap/errors.py": "",
    "ecomap/analysis.py": "from ecomap.model import EcoMap\n",
    "ecomap/render/__init__.py": "",
    "ecomap/render/static.py": "from ecomap.analysis import findings\n",
    "ecomap/store.py": "",
    "ecomap/cli.py": "from ecomap import __version__\nfrom ecomap.io import graphml\n",
    "ecomap/exports.py": "def pdf():\n    from ecomap.render.static import image\n",
    "ecomap/io/__init__.py": "from ecomap.io.base import Imported\n",
    "ecomap/io/base.py": "",
    "ecomap/io/graphml.py": "from . import base\nfrom ..model import EcoMap\n",
    "ecomap/io/csv_format.py": "",
    "ui/__init__.py": "",
    "ui/common.py": "import streamlit as st\nfrom ecomap.store import Store\n",
    "pages/map.py": "import streamlit as st\nfrom ui import common\nfrom ecomap.render.static import image\n",
    "pages/share.py": "from ecomap.exports import export\n",
    "streamlit_app.py": "from ui.common import store\n",
}


def test_the_checker_passes_imports_that_run_one_way() -> None:
    assert problems(LIBRARY) == []


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        ("ecomap/analysis.py", "def f():\n    from ecomap.render.static import image\n",
         "ecomap/analysis.py:2: `from ecomap.render.static import image`: ecomap.analysis is in the analysis layer (4) "
         "and imports ecomap.render.static of the render layer (6), which comes after it"),
        ("ecomap/model.py", "from ecomap import store\n",
         "ecomap/model.py:1: `from ecomap import store`: ecomap.model is in the model layer (2) and imports "
         "ecomap.store of the store layer (8), which comes after it"),
        ("ecomap/io/csv_format.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..cli import main\n",
         "ecomap/io/csv_format.py:3: `from ..cli import main`: ecomap.io.csv_format is in the io layer (5) and "
         "imports ecomap.cli of the front doors layer (9), which comes after it"),
        ("ecomap/render/static.py", "import streamlit\n",
         "ecomap/render/static.py:1: `import streamlit`: the library never imports Streamlit"),
        ("ecomap/store.py", "from streamlit.runtime import exists\n",
         "ecomap/store.py:1: `from streamlit.runtime import exists`: the library never imports Streamlit"),
        ("ecomap/cli.py", "def run():\n    import ui.common\n",
         "ecomap/cli.py:2: `import ui.common`: the library never imports ui/"),
        ("ecomap/cli.py", "from pages import map\n",
         "ecomap/cli.py:1: `from pages import map`: the library never imports a page"),
        ("ui/common.py", "import streamlit_app\n",
         "ui/common.py:1: `import streamlit_app`: ui/ never imports a page"),
        ("pages/share.py", "from pages.map import draw\n",
         "pages/share.py:1: `from pages.map import draw`: a page never imports another page"),
        ("ecomap/newcomer.py", "",
         "ecomap/newcomer.py: ecomap.newcomer is in no layer of LAYERS (tests/test_imports.py, docs/DESIGN.md)"),
    ],
    ids=["lazy upward", "from package", "relative, type checking", "streamlit", "streamlit submodule", "ui",
         "page", "ui imports page", "page imports page", "no layer"],
)  # fmt: skip
def test_the_checker_names_the_module_and_the_import(path: str, source: str, expected: str) -> None:
    assert problems({**LIBRARY, path: source}) == [expected]


# -- heavy libraries --------------------------------------------------------------------------------


def loaded_after(*modules: str) -> list[str]:
    code = (
        "import json, sys\n"
        + "".join(f"import {module}\n" for module in modules)
        + f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return list(json.loads(done.stdout))


def imported_on_every_run(path: str) -> tuple[str, ...]:
    """The project's modules a page imports at its top: what every rerun of it has loaded."""
    files = project_files()
    known = {module_name(p) for p in files}
    found = (i.target for i in imports_in(path, files[path], known) if i.top_level)
    return tuple(dict.fromkeys(t for t in found if t.split(".")[0] in FIRST_PARTY))


@pytest.mark.parametrize("page", ["pages/map.py", "streamlit_app.py"])
def test_what_a_page_imports_is_read_from_it(page: str) -> None:
    tops = {module.split(".")[0] for module in imported_on_every_run(page)}
    assert tops == {"ecomap", "ui"}


@pytest.mark.parametrize(
    "modules",
    [
        imported_on_every_run("pages/map.py"),
        imported_on_every_run("streamlit_app.py"),
        ("ecomap.store", "ecomap.caseload"),
    ],
    ids=["map page", "people page", "store"],
)
def test_no_heavy_library_is_imported(modules: tuple[str, ...]) -> None:
    assert loaded_after(*modules) == []
