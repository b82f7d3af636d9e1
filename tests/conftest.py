"""Named example maps and the databases the store's tests run on."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from ecomap.model import EcoMap
from ecomap.store import Store

POSTGRES_URL_VARIABLE = "ECOMAP_TEST_POSTGRES_URL"


def document(**changes: Any) -> dict[str, Any]:
    """A small valid map document; ``changes`` replace its top-level fields."""
    base: dict[str, Any] = {
        "schema_version": 1,
        "id": "m-test",
        "title": "Test map",
        "created": "2026-11-22T10:00:00Z",
        "person": {"name": "Alys Pritchard", "preferred_name": "Alys", "language": "cy"},
        "ties": [
            {
                "id": "t1",
                "name": "Mam",
                "sector": "family",
                "strength": "strong",
                "flow": "both",
                "support": ["emotional", "practical"],
                "frequency": "daily",
                "own_words": "She rings me every morning",
            },
            {"id": "t2", "name": "Côr Meibion", "kind": "group", "sector": "community", "status": "hoped_for"},
            {"id": "t3", "name": "Meddygfa", "kind": "organisation", "sector": "services", "stressful": True},
        ],
        "links": [{"between": ["t1", "t2"]}],
        "plan": [{"id": "a1", "action": "Ask when the choir meets", "tie": "t2", "who": "Alys", "by": "2026-12-15"}],
    }
    base.update(changes)
    return base


def alys() -> EcoMap:
    """Alys, her Mam, a choir she hopes to join and a stressful GP surgery."""
    return EcoMap.from_dict(document())


def busy_family(n: int = 12) -> EcoMap:
    """A map with ``n`` family ties and a link between each neighbouring pair."""
    ties = [{"id": f"t{i}", "name": f"Relative {i}", "sector": "family"} for i in range(1, n + 1)]
    links = [{"between": [f"t{i}", f"t{i + 1}"]} for i in range(1, n)]
    return EcoMap.from_dict(document(id="m-busy", ties=ties, links=links, plan=[]))


def gwen() -> EcoMap:
    """A second person: Gwen, her brother and her neighbour."""
    return EcoMap.from_dict(
        document(
            id="m-gwen",
            person={"name": "Gwen Morgan"},
            ties=[
                {"id": "t1", "name": "Dafydd", "sector": "family", "strength": "moderate"},
                {"id": "t2", "name": "Mrs Hughes", "sector": "community", "strength": "tenuous"},
            ],
            links=[],
            plan=[],
        )
    )


def _postgres_admin_url() -> str | None:
    url = os.environ.get(POSTGRES_URL_VARIABLE, "").strip()
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail(f"{POSTGRES_URL_VARIABLE} is not set: in CI the PostgreSQL tests must run (use scripts/test.sh)")
    return None


@pytest.fixture
def sqlite_url(tmp_path: Any) -> str:
    return f"sqlite:///{tmp_path / 'ecomap.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    admin_url = _postgres_admin_url()
    if admin_url is None:
        pytest.skip(f"{POSTGRES_URL_VARIABLE} is not set (scripts/test.sh starts a server and sets it)")
    name = f"ecomap_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each store test runs once on an SQLite file and once on a real PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    s = Store.from_url(database_url)
    s.migrate()
    yield s
    s.engine.dispose()
