"""The library's public surface: every public module says what it offers in ``__all__``, and documents it.

A public module is any module of ``ecomap`` whose name has no part starting with ``_`` (the
migrations are Alembic's, not the library's). It is found by walking the package, so a new module
is held to the same rules the day it is added. The rules:

- ``__all__`` exists, names each thing once, and each name exists in the module;
- each function, class and public method it names has a docstring, and each constant or table a
  ``#:`` comment in the lines just above it (up to the blank line before) or a docstring after it;
- whatever the rest of the code imports from a module (``from ecomap.x import a``) is in that
  module's ``__all__``, or starts with ``_`` and says it is a private helper.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

import ecomap

ROOT = Path(__file__).resolve().parent.parent

#: Temporary: public modules whose ``__all__`` is still to be written. Each is skipped by the tests
#: below until it has one; take it out of this set in the same change that adds it.
NOT_YET_DECLARED: frozenset[str] = frozenset()

#: Where the code that imports from the library lives: the library, the pages, the benchmarks, the tests.
IMPORTERS = ("ecomap", "ui", "pages", "bench", "tests", "streamlit_app.py")


def _is_public(name: str) -> bool:
    parts = name.split(".")
    return not (len(parts) > 1 and parts[1] == "migrations") and not any(part.startswith("_") for part in parts)


@cache
def every_module() -> frozenset[str]:
    """Every module of the package, public or not."""
    return frozenset({"ecomap"} | {info.name for info in pkgutil.walk_packages(ecomap.__path__, "ecomap.")})


def public_modules() -> list[str]:
    return sorted(name for name in every_module() if _is_public(name))


def declared(name: str) -> object:
    """``name`` as a test parameter, skipped while it is in :data:`NOT_YET_DECLARED`."""
    if name in NOT_YET_DECLARED:
        return pytest.param(name, marks=pytest.mark.skip(reason=f"{name} has no __all__ yet (NOT_YET_DECLARED)"))
    return name


DECLARED = [declared(name) for name in public_modules()]


def module_all(module: ModuleType) -> list[str]:
    names = getattr(module, "__all__", None)
    assert isinstance(names, list | tuple), f"{module.__name__} has no __all__"
    return list(names)


# -- docstrings and doc comments -------------------------------------------------------------------


def has_docstring(obj: object) -> bool:
    """True when ``obj`` was written with a docstring of its own (not inherited, not generated)."""
    doc = vars(obj).get("__doc__") if inspect.isclass(obj) else getattr(obj, "__doc__", None)
    if not isinstance(doc, str) or not doc.strip():
        return False
    # @dataclass and namedtuple write "Name(field, ...)" when the class has no docstring.
    return not (inspect.isclass(obj) and doc.startswith(f"{obj.__name__}("))


def methods(cls: type) -> Iterator[tuple[str, object]]:
    """The public methods and properties written in ``cls``'s own body."""
    for name, value in vars(cls).items():
        if name.startswith("_"):
            continue
        function = getattr(value, "__func__", None) or getattr(value, "fget", None) or getattr(value, "func", None)
        function = function or value
        if inspect.isfunction(function) and function.__qualname__ == f"{cls.__qualname__}.{name}":
            yield name, function


@dataclass(frozen=True)
class Source:
    """A module's source: its lines and its statements at the top level."""

    lines: list[str]
    body: list[ast.stmt]


@cache
def source_of(module_name: str) -> Source:
    module = importlib.import_module(module_name)
    text = inspect.getsource(module)
    return Source(text.splitlines(), ast.parse(text).body)


def _binds(statement: ast.stmt, name: str) -> bool:
    if isinstance(statement, ast.Assign):
        targets: list[ast.expr] = statement.targets
    elif isinstance(statement, ast.AnnAssign):
        targets = [statement.target]
    else:
        return False
    return any(isinstance(node, ast.Name) and node.id == name for target in targets for node in ast.walk(target))


def doc_comment(module_name: str, name: str) -> str | None:
    """Where ``name`` is assigned (following re-exports), and "" if it has a ``#:`` comment or a docstring.

    The comment may stand for a group: it counts if it is anywhere in the lines above the assignment
    up to the blank line before them. None means the assignment was not found.
    """
    source = source_of(module_name)
    for i, statement in enumerate(source.body):
        if isinstance(statement, ast.ImportFrom) and statement.module and statement.level == 0:
            for alias in statement.names:
                if (alias.asname or alias.name) == name and statement.module.startswith("ecomap"):
                    return doc_comment(statement.module, alias.name)
        if not _binds(statement, name):
            continue
        after = source.body[i + 1] if i + 1 < len(source.body) else None
        if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant) and isinstance(after.value.value, str):
            return ""
        line = statement.lineno - 2
        while line >= 0 and source.lines[line].strip():
            if source.lines[line].lstrip().startswith("#:"):
                return ""
            line -= 1
        return f"{module_name}:{statement.lineno} {name}"
    return None


# -- imports of the rest of the code ---------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    """One name imported from a module of the library, and where."""

    module: str
    name: str
    where: str


def _files() -> Iterator[Path]:
    for entry in IMPORTERS:
        path = ROOT / entry
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path]


def _package_of(path: Path) -> list[str]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return parts[:-1]


@cache
def imports() -> tuple[Imported, ...]:
    """Every ``from ecomap... import name`` in the code, submodules left out."""
    found: list[Imported] = []
    for path in _files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if not isinstance(node, ast.ImportFrom):
                continue
            package = _package_of(path)
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            if module.split(".")[0] != "ecomap":
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            found += [
                Imported(module, alias.name, where)
                for alias in node.names
                if alias.name != "*" and f"{module}.{alias.name}" not in every_module()
            ]
    return tuple(found)


# -- the tests -------------------------------------------------------------------------------------


def test_the_walk_finds_the_library_and_leaves_out_private_modules() -> None:
    names = public_modules()
    assert {"ecomap", "ecomap.model", "ecomap.io", "ecomap.io.csv_format", "ecomap.render.interactive"} <= set(names)
    assert "ecomap.__main__" not in names
    assert not [name for name in names if "migrations" in name]


def test_the_waiting_list_names_only_public_modules_still_without_all() -> None:
    assert set(NOT_YET_DECLARED) <= set(public_modules())
    declared_now = [name for name in NOT_YET_DECLARED if hasattr(importlib.import_module(name), "__all__")]
    assert not declared_now, f"{declared_now} declare __all__ now: take them out of NOT_YET_DECLARED"


@pytest.mark.parametrize("module_name", DECLARED)
def test_all_names_each_thing_once_and_each_exists(module_name: str) -> None:
    module = importlib.import_module(module_name)
    names = module_all(module)
    assert all(isinstance(name, str) for name in names)
    repeated = sorted({name for name in names if names.count(name) > 1})
    assert not repeated, f"{module_name}.__all__ repeats {repeated}"
    missing = [name for name in names if not hasattr(module, name)]
    assert not missing, f"{module_name}.__all__ names what the module does not have: {missing}"


@pytest.mark.parametrize("module_name", DECLARED)
def test_every_function_class_and_method_it_offers_has_a_docstring(module_name: str) -> None:
    module = importlib.import_module(module_name)
    undocumented: list[str] = []
    for name in module_all(module):
        obj = getattr(module, name)
        if not (inspect.isclass(obj) or inspect.isroutine(obj)):
            continue
        if not has_docstring(obj):
            undocumented.append(name)
        if inspect.isclass(obj) and obj.__module__.split(".")[0] == "ecomap":
            undocumented += [f"{name}.{method}" for method, function in methods(obj) if not has_docstring(function)]
    assert not undocumented, f"{module_name}: no docstring for {undocumented}"


@pytest.mark.parametrize("module_name", DECLARED)
def test_every_constant_and_table_it_offers_has_a_doc_comment(module_name: str) -> None:
    module = importlib.import_module(module_name)
    constants = [
        name
        for name in module_all(module)
        if not (inspect.isclass(getattr(module, name)) or inspect.isroutine(getattr(module, name)))
    ]
    found = {name: doc_comment(module_name, name) for name in constants}
    assert not [name for name, where in found.items() if where is None], f"{module_name}: assignment not found"
    undocumented = [where for where in found.values() if where]
    assert not undocumented, f"no #: comment above {undocumented}"


@pytest.mark.parametrize("module_name", DECLARED)
def test_what_the_code_imports_from_it_is_in_its_all(module_name: str) -> None:
    offered = set(module_all(importlib.import_module(module_name)))
    outside = [
        f"{i.where} imports {i.name}"
        for i in imports()
        if i.module == module_name and i.name not in offered and not i.name.startswith("_")
    ]
    assert not outside, f"not in {module_name}.__all__: {outside}"


def test_the_code_imports_only_from_modules_that_exist() -> None:
    unknown = sorted({f"{i.where} {i.module}" for i in imports() if i.module not in every_module()})
    assert not unknown


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        (ecomap.EcoMap, True),
        (ecomap.read_map, True),
        (type("Bare", (), {}), False),
        (dataclass(type("Generated", (), {"__annotations__": {"x": int}})), False),
    ],
)
def test_a_docstring_is_one_written_for_the_thing(obj: object, expected: bool) -> None:
    assert has_docstring(obj) is expected
