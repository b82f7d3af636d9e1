"""Ecomap: draw, understand and share a person's support network.

The library behind the app and the command line. It never imports Streamlit. The names below are
loaded when first used, so that importing one small module of the library (the server's settings,
its errors) does not load the map's models.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ecomap.errors import Conflict, EcomapError, MapInvalid, NotFound, Problem, UnsupportedVersion
    from ecomap.model import SCHEMA_VERSION, EcoMap, Link, Person, PlanItem, Position, Tie, dumps, loads, read_map

#: This release of the library, as ``python -m ecomap --version`` prints it.
__version__ = "0.1.0"

#: Where each public name lives.
_HOMES = {
    **dict.fromkeys(("Conflict", "EcomapError", "MapInvalid", "NotFound", "Problem", "UnsupportedVersion"), "errors"),
    **dict.fromkeys(
        ("SCHEMA_VERSION", "EcoMap", "Link", "Person", "PlanItem", "Position", "Tie", "dumps", "loads", "read_map"),
        "model",
    ),
}

__all__ = [
    "SCHEMA_VERSION",
    "Conflict",
    "EcoMap",
    "EcomapError",
    "Link",
    "MapInvalid",
    "NotFound",
    "Person",
    "PlanItem",
    "Position",
    "Problem",
    "Tie",
    "UnsupportedVersion",
    "__version__",
    "dumps",
    "loads",
    "read_map",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'ecomap' has no attribute {name!r}")
    return getattr(importlib.import_module(f"ecomap.{home}"), name)
