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

#: The pictures' budgets in milliseconds, set for the 60-tie map when the one-line figure took
#: ``BUDGETS_SET_AT_MS``: each is held as that many times the one-line figure in the same run, so that a
#: shared machine's speed on the day does not decide it.
PICTURE_BUDGETS_MS = {".png": 150.0, ".pdf": 400.0}
BUDGETS_SET_AT_MS = 106.0
PICTURE_BUDGETS = {suffix: round(ms / BUDGETS_SET_AT_MS, 2) for suffix, ms in PICTURE_BUDGETS_MS.items()}


def exports() -> list[Result]:
    from matplotlib.figure import Figure

    from ecomap.exports import export
    from ecomap.render.static import PNG_DPI

    def bare_png() -> None:
        fig = Figure(figsize=(7.5, 9.35))
        fig.add_subplot().plot([0, 1], [0, 1])
        fig.savefig(io.BytesIO(), format="png", dpi=PNG_DPI)

    baseline, _ = median_time(bare_png, repeat=5)
    results = []
    for n in (60, 300):
        m = generated_map(n)
        budgets = PICTURE_BUDGETS if n == 60 else {}
        for suffix, label in ((".png", "PNG"), (".svg", "SVG"), (".pdf", "PDF attachment")):
            value, samples = median_time(lambda m=m, suffix=suffix: export(m, suffix), repeat=5)
            results.append(
                Result(
                    f"export {label}, {n} ties",
                    value,
                    "ms",
                    baseline,
                    "a one-line matplotlib PNG",
                    budgets.get(suffix),
                    "ratio",
                    note=f"the budget: {PICTURE_BUDGETS_MS[suffix]:g} ms when the one-line figure took "
                    f"{BUDGETS_SET_AT_MS:g} ms"
                    if suffix in budgets
                    else "",
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


def caseload() -> list[Result]:
    """The caseload's counts over 10,000 and 100,000 generated maps, on SQLite and PostgreSQL.

    The rows are written in bulk (a save writes the same rows one map at a time); the baseline is
    one plain ``SUM`` over the same rows, a scan with nothing to decide.
    """
    from datetime import UTC, datetime

    from sqlalchemy import func, insert, select

    from ecomap.access import LOCAL_TEAM_ID, Role
    from ecomap.analysis import counts as facts
    from ecomap.store import OPERATOR, Store, User, map_facts, maps, people

    lead = User("bench-lead", "Team lead")
    variety = [facts(generated_map(n, seed=seed)) for n in (0, 2, 4, 8, 12, 20, 40) for seed in range(30)]
    results = []
    with tempfile.TemporaryDirectory() as folder:
        targets = [("SQLite", f"sqlite:///{Path(folder) / 'caseload.db'}")]
        url = os.environ.get("ECOMAP_BENCH_POSTGRES_URL")
        if url:
            targets.append(("PostgreSQL", url))
        for name, target in targets:
            store = Store.from_url(target)
            store.migrate()
            store.record_sign_in(lead)  # the lead is a user now, and so can own the rows below
            store.add_member(OPERATOR, LOCAL_TEAM_ID, lead.id, Role.LEAD)  # the caseload is of the lead's team
            prefix = f"bench-{os.getpid()}"
            written = 0
            for size in (10_000, 100_000):
                now = datetime.now(UTC)
                ids = [f"{prefix}-{i}" for i in range(written, size)]
                with store.engine.begin() as connection:
                    connection.execute(
                        insert(people),
                        [
                            {
                                "id": i,
                                "name": "Elen",
                                "created_at": now,
                                "created_by": lead.id,
                                "team_id": LOCAL_TEAM_ID,
                            }
                            for i in ids
                        ],
                    )
                    connection.execute(
                        insert(maps),
                        [{"id": i, "person_id": i, "current_version": 1, "created_at": now, "updated_at": now}
                         for i in ids],
                    )  # fmt: skip
                    connection.execute(
                        insert(map_facts),
                        [
                            {"map_id": i, "version": 1, "team_id": LOCAL_TEAM_ID, **variety[n % len(variety)]}
                            for n, i in enumerate(ids, written)
                        ],
                    )
                written = size

                def count(store: Store = store) -> None:
                    with store.engine.connect() as connection:
                        connection.execute(select(func.sum(map_facts.c.ties))).scalar()

                baseline, _ = median_time(count, repeat=5)
                value, samples = median_time(lambda store=store: store.caseload(lead), repeat=5)
                results.append(
                    Result(
                        f"caseload counts, {size:,} maps ({name})",
                        value,
                        "ms",
                        baseline,
                        "one SUM over the same rows",
                        100.0 if size == 10_000 else 1000.0,
                        samples=samples,
                    )
                )
            store.engine.dispose()
    return results
