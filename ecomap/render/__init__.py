"""Pictures of a map: the style table (:mod:`~ecomap.render.style`), the interactive map's data
(:mod:`~ecomap.render.interactive`), still images (:mod:`~ecomap.render.static`), the change map
(:mod:`~ecomap.render.change`) and the standalone HTML (:mod:`~ecomap.render.standalone`).

The package imports none of them: each is imported by the code that draws with it.
"""

from __future__ import annotations

__all__: list[str] = []
