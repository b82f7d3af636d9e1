"""The admin page and the caseload in a real browser at both tablet sizes: what they show, the audit's
CSV as downloaded, and break-glass from the admin page through to the map."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from ecomap.access import Role
from ecomap.examples import example_maps, generated_map
from ecomap.store import LOCAL_USER, AuditAction, Store
from tests.conftest import alys
from tests.e2e.conftest import App, Tablet
from tests.e2e.test_axe import ALSO_FAILING, FAILING, audit
from tests.e2e.test_map import wait_drawn

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def people(app: App) -> Iterator[tuple[Store, str]]:
    """Six people of "This machine", and a team the local admin is not in: (the store, that team's id)."""
    store = Store.from_url(app.database_url)
    store.migrate()
    for m in [*example_maps(), *(generated_map(2 + 4 * i, seed=i) for i in range(3))]:
        store.add_person(LOCAL_USER, m)
    team = store.create_team(LOCAL_USER, "Tîm y Gogledd")
    store.add_member(LOCAL_USER, team.id, "=cmd|calc!A0@example.org", Role.LEAD)
    yield store, team.id
    store.engine.dispose()


def outside(store: Store, team_id: str, map_id: str) -> str:
    """A record of that team (the admin opens it by break-glass once, then sees it for hours): its person's id."""
    store.add_member(LOCAL_USER, team_id, LOCAL_USER.id, Role.PRACTITIONER)
    opened = store.add_person(LOCAL_USER, alys().replace(id=map_id), team_id=team_id)
    store.remove_member(LOCAL_USER, team_id, LOCAL_USER.id)
    return opened.person_id


def fits_sideways(tablet: Tablet) -> bool:
    return bool(tablet.page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"))


def test_the_caseload_shows_its_figures_and_chart(app: App, tablet: Tablet, people: tuple[Store, str]) -> None:
    page = tablet.page
    width = page.viewport_size["width"]  # type: ignore[index]
    tablet.goto(f"{app.url}/caseload")
    expect(page.get_by_text("People with a map")).to_be_visible()
    expect(page.get_by_text("Ties on a map, the median")).to_be_visible()
    expect(page.locator('[data-testid="stVegaLiteChart"]')).to_have_count(1)
    page.locator('[data-testid="stVegaLiteChart"]').scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    assert fits_sideways(tablet)
    tablet.screenshot(f"caseload-{width}")
    assert tablet.outside_requests() == []


def test_an_admin_manages_teams_finds_a_record_reads_the_audit_and_breaks_the_glass(
    app: App, tablet: Tablet, people: tuple[Store, str]
) -> None:
    store, team_id = people
    page = tablet.page
    width = page.viewport_size["width"]  # type: ignore[index]
    person_id = outside(store, team_id, f"outside-{width}")
    tablet.goto(f"{app.url}/admin")
    expect(page.get_by_role("tab", name="Teams and members")).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    expect(
        page.get_by_text("Tîm y Gogledd").first
    ).to_be_attached()  # the table draws on a canvas; its cells are for readers
    assert fits_sideways(tablet)
    tablet.screenshot(f"admin-teams-{width}")

    page.get_by_role("tab", name="Records").tap()
    tablet.settle()
    page.get_by_label("Person's id").first.fill(person_id)
    page.get_by_role("button", name="Find the record").tap()
    tablet.settle()
    expect(page.get_by_text("This record is outside your teams")).to_be_visible()
    assert "Alys" not in page.locator('[data-testid="stMain"]').inner_text()
    assert fits_sideways(tablet)
    tablet.screenshot(f"admin-records-{width}")

    page.get_by_role("tab", name="The audit").tap()
    tablet.settle()
    page.get_by_role("button", name="Search the audit").tap()
    tablet.settle()
    download = page.locator('[data-testid="stDownloadButton"]').get_by_role("button", name="Download as CSV")
    expect(download).to_be_visible()
    # The table's own toolbar download (not audited, formulas kept) is hidden.
    expect(
        page.locator('[data-testid="stElementToolbar"]').get_by_role("button", name="Download as CSV")
    ).to_have_count(0)
    assert fits_sideways(tablet)
    tablet.screenshot(f"admin-audit-{width}")
    searches = len(store.search_audit(LOCAL_USER, actions=[AuditAction.VIEW_AUDIT]))
    with page.expect_download() as downloaded:
        download.tap()
    rows = list(csv.DictReader(io.StringIO(downloaded.value.path().read_text(encoding="utf-8"))))
    assert {row["action"] for row in rows} >= {"create", "membership"}
    (odd,) = [row for row in rows if "calc" in row["detail"]]
    assert not odd["detail"].startswith(("=", "+", "-", "@"))
    # The download searched again (audited), beside the search shown and the one just made here.
    assert len(store.search_audit(LOCAL_USER, actions=[AuditAction.VIEW_AUDIT])) == searches + 2

    page.get_by_role("tab", name="Records").tap()
    tablet.settle()
    page.get_by_role("link", name="Open the map, with a reason").tap()
    tablet.settle()
    expect(page.get_by_text("Open a record with a reason")).to_be_visible()
    assert page.locator(".ecomap-canvas").count() == 0
    tablet.screenshot(f"break-glass-{width}")
    page.get_by_label("Reason").fill(f"Safeguarding referral, checked at {width} pixels")
    page.get_by_role("button", name="Open the map").tap()
    wait_drawn(tablet)
    expect(page.locator(".ecomap-canvas")).to_have_count(1)
    reasons = [e.detail for e in store.search_audit(LOCAL_USER, actions=[AuditAction.BREAK_GLASS])]
    assert f"Safeguarding referral, checked at {width} pixels" in reasons
    assert tablet.outside_requests() == []


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_admin_page_and_the_break_glass_step_pass_axe(
    app: App, tablet: Tablet, people: tuple[Store, str], language: str
) -> None:
    store, team_id = people
    page = tablet.page
    width = page.viewport_size["width"]  # type: ignore[index]
    person_id = outside(store, team_id, f"axe-{language}-{width}")
    failing: list[str] = []

    def check(name: str) -> None:
        page.wait_for_timeout(200)
        for violation in audit(tablet):
            if violation["impact"] in FAILING or violation["id"] in ALSO_FAILING:
                failing.append(f"{name}: {violation['id']} {[n['target'] for n in violation['nodes']][:3]}")
        tablet.screenshot(f"axe-{name}-{language}-{width}")

    tablet.goto(f"{app.url}/admin?lang={language}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    for index, name in enumerate(("admin-teams", "admin-records", "admin-audit")):
        page.get_by_role("tab").nth(index).tap()
        tablet.settle()
        check(name)
    tablet.goto(f"{app.url}/map?person={person_id}&lang={language}")
    check("break-glass")
    assert failing == []
    assert tablet.outside_requests() == []
