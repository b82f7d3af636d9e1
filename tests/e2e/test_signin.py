"""Team mode in a real browser: sign-in through a real OpenID Connect provider on loopback.

The provider is ``oidc-provider-mock`` (started here as a process, with two practitioners); the
app is started in team mode with a ``secrets.toml`` in a temporary folder pointing at it. Nothing
is faked on the app's side: the browser goes through the provider's own pages, and the audit rows
are read back from the app's database.
"""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ecomap.access import Role
from ecomap.examples import load_examples
from ecomap.store import LOCAL_USER, OPERATOR, AuditAction, Store, User
from tests.e2e.conftest import App, Tablet, free_port

pytestmark = pytest.mark.e2e

#: The practitioners the provider knows: Bethan works in the north team, Dewi in the south.
PRACTITIONERS = {
    "bethan": {"name": "Bethan Roberts", "email": "bethan@example.org"},
    "dewi": {"name": "Dewi Jones", "email": "dewi@example.org"},
}
SIGNED_IN = {AuditAction.SIGN_IN, AuditAction.SIGN_OUT}
#: What the provider's pages load from the web (the app's pages load nothing from outside).
PROVIDER_STYLESHEET = "https://cdn.jsdelivr.net/npm/@picocss/"


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The provider's address. Its own process: it uses parts of Authlib that warn they are deprecated."""
    port = free_port()
    users = [
        arg for sub, claims in PRACTITIONERS.items() for arg in ("--user-claims", json.dumps({"sub": sub, **claims}))
    ]
    log = (tmp_path_factory.mktemp("provider") / "provider.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-W", "ignore::DeprecationWarning", "-m", "oidc_provider_mock", "--port", str(port), *users],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while status_of(f"{url}/.well-known/openid-configuration") != 200:
            assert process.poll() is None and time.monotonic() < deadline, "the provider did not start"
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def team_mode_app(folder: Path, provider: str, **env: str) -> App:
    """The app in team mode, its two teams made and a person in each before anyone signs in."""
    port = free_port()
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        'client_id = "ecomap"\n'
        'client_secret = "ecomap-test-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    database = folder / "ecomap.db"
    store = Store.from_url(f"sqlite:///{database}")
    store.migrate()
    load_examples(store, LOCAL_USER)
    people = {person.name: person.person_id for person in store.people(LOCAL_USER)}
    for team_name, sub, person in (("North", "bethan", "Alys Pritchard"), ("South", "dewi", "Rhys Morgan")):
        team = store.create_team(OPERATOR, team_name)
        store.add_member(OPERATOR, team.id, PRACTITIONERS[sub]["email"], Role.PRACTITIONER)
        store.move_person(OPERATOR, people[person], team.id)
    return App(database, port=port, env=env, args=("--secrets.files", str(secrets_file)))


@pytest.fixture(scope="module")
def team_app(tmp_path_factory: pytest.TempPathFactory, provider: str) -> Iterator[App]:
    server = team_mode_app(tmp_path_factory.mktemp("team"), provider)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def idle_app(tmp_path_factory: pytest.TempPathFactory, provider: str) -> Iterator[App]:
    # Six seconds without use sign a session out.
    server = team_mode_app(tmp_path_factory.mktemp("idle"), provider, ECOMAP_IDLE_MINUTES="0.1")
    yield server
    server.stop()


def practitioner(provider: str, sub: str) -> User:
    """The user the app makes of this practitioner's sign-in."""
    return User.from_claims({"iss": provider, "sub": sub, **PRACTITIONERS[sub]})


def sign_ins(app: App, user: User) -> list[AuditAction]:
    """The user's sign-ins and sign-outs in the app's audit, oldest first."""
    store = Store.from_url(app.database_url)
    return [entry.action for entry in store.audit(user) if entry.action in SIGNED_IN and entry.user_id == user.id]


def body(tablet: Tablet) -> str:
    """Every word the page shows."""
    return str(tablet.page.locator("body").inner_text())


def expect_sign_in_only(tablet: Tablet) -> None:
    """The sign-in screen and nothing else: no link to another page, no one's name."""
    page = tablet.page
    expect(page.locator(".st-key-signin_button button")).to_be_visible()
    expect(page.locator('[data-testid="stPageLink-NavLink"]')).to_have_count(0)
    text = body(tablet)
    for name in ("Alys", "Rhys", "Cai", "Bethan", "Dewi"):
        assert name not in text


def sign_in(tablet: Tablet, app: App, provider: str, sub: str) -> None:
    page = tablet.page
    page.locator(".st-key-signin_button button").tap()
    page.wait_for_url(f"{provider}/oauth2/authorize**")
    page.get_by_role("button", name=sub, exact=True).click()
    page.wait_for_url(f"{app.url}/**")
    tablet.settle()


def open_sidebar(tablet: Tablet) -> None:
    opener = tablet.page.locator('[data-testid="stExpandSidebarButton"]')
    if opener.count() > 0 and opener.is_visible():
        opener.click()


def sign_out(tablet: Tablet, app: App, provider: str) -> None:
    page = tablet.page
    open_sidebar(tablet)
    page.locator(".st-key-sign_out button").tap()
    # The provider's own sign-out, then back to the app.
    page.wait_for_url(f"{provider}/oauth2/end_session**")
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{app.url}/**")
    tablet.settle()


def choose_welsh(tablet: Tablet) -> None:
    page = tablet.page
    page.locator(".st-key-signin").get_by_role("radio", name="Cymraeg").click()
    tablet.settle()


def status_of(url: str) -> int:
    """The HTTP status of ``GET url`` (0 when nothing answers)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def give_a_reason_if_asked(tablet: Tablet) -> None:
    """The share page asks why a file is made when the person's consent does not cover sharing."""
    field = tablet.page.locator(".st-key-share_reason input")
    if field.count():
        field.fill("A test of the download")
        field.press("Enter")
        tablet.settle()


def test_sign_in_open_a_map_sign_out_and_the_map_is_out_of_reach(team_app: App, provider: str, tablet: Tablet) -> None:
    page = tablet.page
    width = tablet.page.viewport_size["width"] if tablet.page.viewport_size else 0
    bethan = practitioner(provider, "bethan")
    before = sign_ins(team_app, bethan)

    tablet.goto(team_app.url)
    expect_sign_in_only(tablet)
    expect(page.get_by_text("Sign in with your organisation’s account")).to_be_visible()
    tablet.screenshot(f"signin-en-{width}")

    sign_in(tablet, team_app, provider, "bethan")
    expect(page.get_by_role("heading", name="People")).to_be_visible()
    open_sidebar(tablet)
    expect(page.get_by_text("Signed in as Bethan Roberts")).to_be_visible()
    assert sign_ins(team_app, bethan) == [*before, AuditAction.SIGN_IN]
    alys = page.get_by_role("link", name=re.compile("Alys Pritchard"))
    expect(alys).to_have_count(1)
    expect(page.get_by_role("link", name=re.compile("Rhys Morgan|Cai Hughes"))).to_have_count(0)

    alys.tap()
    tablet.settle()
    assert "map=" in page.url
    map_url = page.url
    expect(page.get_by_text("Alys").first).to_be_visible()
    page.get_by_role("link", name="Share and attach").tap()
    tablet.settle()
    give_a_reason_if_asked(tablet)
    with page.expect_download() as download:
        page.get_by_role("button", name="Map file (JSON)").tap()
    media = download.value.url
    assert "/media/" in media

    sign_out(tablet, team_app, provider)
    expect_sign_in_only(tablet)
    assert sign_ins(team_app, bethan) == [*before, AuditAction.SIGN_IN, AuditAction.SIGN_OUT]
    # What the signed-out session had made is no longer served.
    assert status_of(media) == 404

    tablet.goto(map_url)
    expect_sign_in_only(tablet)
    tablet.goto(f"{team_app.url}/share?map={map_url.split('map=')[1]}")
    expect_sign_in_only(tablet)
    assert sign_ins(team_app, bethan) == [*before, AuditAction.SIGN_IN, AuditAction.SIGN_OUT]

    choose_welsh(tablet)
    expect(page.get_by_text("Mewngofnodwch gyda chyfrif eich sefydliad")).to_be_visible()
    expect_sign_in_only(tablet)
    tablet.screenshot(f"signin-cy-{width}")
    # Only the provider's own pages fetch anything from elsewhere (their stylesheet).
    assert all(url.startswith(PROVIDER_STYLESHEET) for url in tablet.outside_requests())


def test_practitioners_of_two_teams_never_see_each_other_people(team_app: App, provider: str, browser: object) -> None:
    north, south = Tablet(browser, "landscape"), Tablet(browser, "portrait")
    try:
        for tablet, sub in ((north, "bethan"), (south, "dewi")):
            tablet.goto(team_app.url)
            sign_in(tablet, team_app, provider, sub)
            expect(tablet.page.get_by_role("heading", name="People")).to_be_visible()
        expect(north.page.get_by_role("link", name=re.compile("Alys Pritchard"))).to_have_count(1)
        expect(south.page.get_by_role("link", name=re.compile("Rhys Morgan"))).to_have_count(1)
        assert "Rhys" not in body(north) and "Alys" not in body(south)

        # Dewi, given the address of Bethan's person's map, sees nothing of her.
        north.page.get_by_role("link", name=re.compile("Alys Pritchard")).tap()
        north.settle()
        south.goto(north.page.url)
        expect(south.page.locator('[data-testid="stApp"]')).to_be_visible()
        assert "Alys" not in body(south) and "Pritchard" not in body(south)
        expect(north.page.get_by_text("Alys").first).to_be_visible()
    finally:
        north.context.close()
        south.context.close()


def test_an_unused_session_is_signed_out_and_says_so(idle_app: App, provider: str, browser: object) -> None:
    tablet = Tablet(browser, "landscape")
    page = tablet.page
    dewi = practitioner(provider, "dewi")
    try:
        tablet.goto(idle_app.url)
        sign_in(tablet, idle_app, provider, "dewi")
        # Left open on a map (the sidebar, where the timer is, folded away), with no tap: the page's own
        # timer signs it out once the six seconds are up.
        page.get_by_role("link", name=re.compile("Rhys Morgan")).tap()
        tablet.settle()
        assert "map=" in page.url
        expect(
            page.get_by_text("You were signed out after 1 minute without use. Every change was saved.")
        ).to_be_visible(timeout=20_000)
        expect_sign_in_only(tablet)
        assert sign_ins(idle_app, dewi)[-2:] == [AuditAction.SIGN_IN, AuditAction.SIGN_OUT]
        tablet.screenshot("signin-idle-1024")

        # A reload does not take the old sign-in up again.
        tablet.goto(idle_app.url)
        expect_sign_in_only(tablet)
        expect(page.get_by_text("Your sign-in has ended. Sign in again to go on.")).to_be_visible()
        assert sign_ins(idle_app, dewi)[-1] == AuditAction.SIGN_OUT
    finally:
        tablet.context.close()
