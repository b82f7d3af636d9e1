"""Figures measured inside this process: exports, saving a version, and the map page's rerun."""

from __future__ import annotations

import io
import os
import sqlite3
import tempfile
from pathlib import Path

from bench.common import ROOT, Result, median_time
from ecomap.examples import generated_map
from ecomap.model import dumps


def exports() -> list[Result]:
    from matplotlib.figure import Figure

    from ecomap.io.formats import export
    from ecomap.render.static import PNG_DPI

    def bare_png() -> None:
        fig = Figure(figsize=(7.5, 9.35))
        fig.add_subplot().plot([0, 1], [0, 1])
        fig.savefig(io.BytesIO(), format="png", dpi=PNG_DPI)

    baseline, _ = median_time(bare_png, repeat=5)
    results = []
    for n in (60, 300):
        m = generated_map(n)
        budgets = {".png": 150.0 if n == 60 else None, ".svg": None, ".pdf": 600.0 if n == 60 else None}
        for suffix, label in ((".png", "PNG"), (".svg", "SVG"), (".pdf", "PDF attachment")):
            value, samples = median_time(lambda m=m, suffix=suffix: export(m, suffix), repeat=5)
            results.append(
                Result(
                    f"export {label}, {n} ties",
                    value,
                    "ms",
                    baseline,
                    "a one-line matplotlib PNG",
                    budgets[suffix],
                    samples=samples,
                )
            )
    return results


def saving() -> list[Result]:
    from ecomap.store import LOCAL_USER, Store

    m = generated_map(60)
    document = dumps(m)
    with tempfile.TemporaryDirectory() as folder:
        store = Store.from_url(f"sqlite:///{Path(folder) / 'bench.db'}")
        store.migrate()
        store.add_person(LOCAL_USER, m)
        version = [1]

        def save() -> None:
            version[0] = store.save(LOCAL_USER, m, expected_version=version[0])

        value, samples = median_time(save, repeat=200, warmup=5)
        store.engine.dispose()

        raw = sqlite3.connect(Path(folder) / "raw.db", isolation_level=None)
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute(
            "CREATE TABLE versions (map_id TEXT, version INTEGER, document TEXT, PRIMARY KEY (map_id, version))"
        )
        counter = [0]

        def insert() -> None:
            counter[0] += 1
            raw.execute("BEGIN IMMEDIATE")
            raw.execute("INSERT INTO versions VALUES (?, ?, ?)", ("m", counter[0], document))
            raw.execute("COMMIT")

        baseline, _ = median_time(insert, repeat=200, warmup=5)
        raw.close()
    results = [Result("save a version (SQLite, 60 ties)", value, "ms", baseline, "one raw sqlite3 INSERT",
                      2.0, samples=samples)]  # fmt: skip
    url = os.environ.get("ECOMAP_BENCH_POSTGRES_URL") or os.environ.get("ECOMAP_TEST_POSTGRES_URL")
    if url:
        store = Store.from_url(url)
        store.migrate()
        fresh = m.replace(id=f"bench-{os.getpid()}")
        store.add_person(LOCAL_USER, fresh)
        version = [1]

        def save_pg() -> None:
            version[0] = store.save(LOCAL_USER, fresh, expected_version=version[0])

        value, samples = median_time(save_pg, repeat=100, warmup=5)
        store.engine.dispose()
        results.append(Result("save a version (PostgreSQL, 60 ties)", value, "ms", note="loopback server",
                              samples=samples))  # fmt: skip
    return results


def reruns() -> list[Result]:
    """The map page's server-side rerun (AppTest), beside a bare script with the same widgets.

    AppTest compiles the script afresh on every run, where a real server compiles it once and
    keeps the bytecode; here both scripts share one cache, as a server does, so the figure is
    the rerun a practitioner waits for.
    """
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import AppTest, app_test, local_script_runner

    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared  # type: ignore[assignment,misc]

    from ecomap.store import DATABASE_URL_VARIABLE, LOCAL_USER, Store

    results = []
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'rerun.db'}"
        os.environ[DATABASE_URL_VARIABLE] = url
        store = Store.from_url(url)
        store.migrate()
        for n in (10, 60, 300):
            m = generated_map(n).replace(id=f"rerun-{n}")
            store.add_person(LOCAL_USER, m)
            page = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).switch_page("pages/map.py")
            page.query_params["map"] = m.id
            page.run()
            page.session_state["selected_tie"] = "t1"
            value, samples = median_time(page.run, repeat=10, warmup=2)
            bare = AppTest.from_file(str(ROOT / "bench" / "apps" / "bare_map.py"), default_timeout=60)
            bare.query_params["n"] = str(n)
            baseline, _ = median_time(bare.run, repeat=10, warmup=2)
            results.append(
                Result(
                    f"map page rerun, {n} ties",
                    value,
                    "ms",
                    baseline,
                    "the same widgets, bare",
                    2.0 if n == 60 else None,
                    "ratio",
                    samples=samples,
                )
            )
        store.engine.dispose()
    return results
