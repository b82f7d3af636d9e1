"""Load: 20 sessions at once against one real server on loopback, each building its own map.

Each session is a websocket client speaking Streamlit's protocol (see :mod:`bench.load`): it opens
its own person's map and adds ties for a bounded time (``ECOMAP_LOAD_SECONDS``, 12 s in the test
command; a long run: ``ECOMAP_LOAD_SECONDS=300``). No edit is lost (every tie added is on its map
and every add is a saved version) and no session is sent another session's person or ties. The
figures are printed and kept in ``test-artifacts/load-figures.txt``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.load import SESSIONS, check, run, summary
from ecomap.store import Store
from tests.e2e.conftest import ARTIFACTS, App

pytestmark = pytest.mark.e2e

#: How long the sessions add ties, in seconds, once every one has its map open.
SECONDS = float(os.environ.get("ECOMAP_LOAD_SECONDS", "12"))


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    server = App(tmp_path_factory.mktemp("load") / "ecomap.db")
    yield server
    server.stop()


def test_twenty_sessions_build_their_own_maps_at_once_and_lose_nothing(app: App) -> None:
    store = Store.from_url(app.database_url)
    store.migrate()
    sessions = run(app.url, store, sessions=SESSIONS, seconds=SECONDS)
    problems = check(store, sessions)
    store.engine.dispose()
    figures = summary(sessions, SECONDS)
    print(figures)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "load-figures.txt").write_text("\n".join([figures, *problems]) + "\n", encoding="utf-8")
    assert problems == []
    assert len(sessions) == SESSIONS and all(len(session.ties) >= 2 for session in sessions), figures
    log = Path(app.log.name).read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log and "Error" not in log
