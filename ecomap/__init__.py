"""Ecomap: draw, understand and share a person's support network.

The library behind the app and the command line. It never imports Streamlit.
"""

from __future__ import annotations

from ecomap.errors import Conflict, EcomapError, MapInvalid, NotFound, Problem, UnsupportedVersion
from ecomap.model import SCHEMA_VERSION, EcoMap, Link, Person, PlanItem, Position, Tie, dumps, loads, read_map

#: This release of the library, as ``python -m ecomap --version`` prints it.
__version__ = "0.1.0"

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
