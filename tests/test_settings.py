"""The settings' one home: how each is read, and the server that refuses an address local mode must not serve."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest

from ecomap.settings import (
    ALLOW_NETWORK_VARIABLE,
    ALLOWED_HOSTS_VARIABLE,
    IDLE_MINUTES_VARIABLE,
    LOOPBACK_HOSTS,
    TEAM_DATABASE_URL_VARIABLE,
    SettingInvalid,
    Settings,
    address_refusal,
    auth_configured,
    auth_problem,
    host_header_patterns,
    is_loopback,
    redirect_host,
)
from tests.e2e.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
AUTH = {
    "redirect_uri": "https://ecomap.example.gov.uk/oauth2callback",
    "cookie_secret": "Vq3mJ0c8yKX1pT7rWb2nH5sL9dF4gZ6a",
    "client_id": "ecomap",
    "client_secret": "its secret",
    "server_metadata_url": "https://login.example/.well-known/openid-configuration",
}


def test_with_nothing_set_only_this_machine_is_served_and_idle_sessions_end_after_30_minutes() -> None:
    settings = Settings.from_environ({})
    assert settings.allowed_hosts == ("localhost", "127.0.0.1", "::1") == LOOPBACK_HOSTS
    assert settings.allow_network is False
    assert settings.idle_timeout == timedelta(minutes=30)


@pytest.mark.parametrize(
    ("given", "added"),
    [
        ("tablet.local", ("tablet.local",)),
        (" Tablet.Local. , 192.168.1.20 ", ("tablet.local", "192.168.1.20")),
        ("[fe80::1],*.council.example", ("fe80::1", "*.council.example")),
        ("localhost,tablet.local,tablet.local", ("tablet.local",)),
        ("", ()),
        (" , ", ()),
    ],
)
def test_more_names_are_added_to_the_loopback_ones(given: str, added: tuple[str, ...]) -> None:
    assert Settings.from_environ({ALLOWED_HOSTS_VARIABLE: given}).allowed_hosts == (*LOOPBACK_HOSTS, *added)


@pytest.mark.parametrize(
    "given",
    ["http://tablet.local", "tablet.local:8501", "tablet local", "tablet.local/app", "*", "a.*.example", "-a.b"],
)
def test_a_name_that_is_not_one_is_refused_naming_the_setting(given: str) -> None:
    with pytest.raises(SettingInvalid, match=f"{ALLOWED_HOSTS_VARIABLE}: .* is not a host name"):
        Settings.from_environ({ALLOWED_HOSTS_VARIABLE: f"localhost,{given}"})


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("1", True),
        ("true", True),
        ("YES", True),
        ("on", True),
        ("0", False),
        ("", False),
        ("no", False),
        ("off", False),
    ],
)
def test_letting_local_mode_serve_the_network_is_a_plain_yes_or_no(given: str, expected: bool) -> None:
    assert Settings.from_environ({ALLOW_NETWORK_VARIABLE: given}).allow_network is expected


def test_a_yes_or_no_that_is_neither_is_refused() -> None:
    with pytest.raises(SettingInvalid, match=f"{ALLOW_NETWORK_VARIABLE}: 'maybe' is not 1 or 0"):
        Settings.from_environ({ALLOW_NETWORK_VARIABLE: "maybe"})


@pytest.mark.parametrize(("given", "expected"), [("45", 45 * 60), ("0.5", 30), (" 10 ", 600), ("720", 720 * 60)])
def test_the_idle_time_is_read_in_minutes(given: str, expected: float) -> None:
    assert Settings.from_environ({IDLE_MINUTES_VARIABLE: given}).idle_timeout.total_seconds() == expected


@pytest.mark.parametrize("given", ["0", "-5", "soon", "nan", "inf", "721"])
def test_an_idle_time_that_is_not_a_number_of_minutes_is_refused(given: str) -> None:
    with pytest.raises(SettingInvalid, match=f"{IDLE_MINUTES_VARIABLE}: .* is not a number of minutes"):
        Settings.from_environ({IDLE_MINUTES_VARIABLE: given})


@pytest.mark.parametrize(
    "given",
    [
        "postgresql+psycopg://ecomap:s3cret@team.example:5432/ecomap",
        "postgresql://team.example/ecomap",
        "sqlite:////var/lib/ecomap/team.db",
    ],
)
def test_the_team_server_is_a_database_url_kept_out_of_the_settings_repr(given: str) -> None:
    settings = Settings.from_environ({TEAM_DATABASE_URL_VARIABLE: f" {given} "})
    assert settings.team_database_url == given
    assert "s3cret" not in repr(settings) and "team.example" not in repr(settings)
    assert Settings.from_environ({}).team_database_url is None
    assert Settings.from_environ({TEAM_DATABASE_URL_VARIABLE: "  "}).team_database_url is None


@pytest.mark.parametrize(
    "given",
    [
        "team.example",
        "mysql://ecomap:s3cret@team.example/ecomap",
        "https://team.example/s3cret",
        "postgresql+psycopg://h:port/s3cret",
    ],
)
def test_a_team_server_that_is_not_a_database_url_is_refused_without_saying_what_it_holds(given: str) -> None:
    with pytest.raises(SettingInvalid, match=f"{TEAM_DATABASE_URL_VARIABLE} is not a PostgreSQL or SQLite") as refused:
        Settings.from_environ({TEAM_DATABASE_URL_VARIABLE: given})
    assert "s3cret" not in str(refused.value) and "team.example" not in str(refused.value)
    assert refused.value.__cause__ is None and refused.value.__suppress_context__


def test_names_the_server_is_given_are_added_once_and_checked() -> None:
    settings = Settings.from_environ({ALLOWED_HOSTS_VARIABLE: "tablet.local"})
    assert settings.with_hosts("192.168.1.20", None, "", "tablet.local").allowed_hosts == (
        *LOOPBACK_HOSTS,
        "tablet.local",
        "192.168.1.20",
    )
    with pytest.raises(SettingInvalid):
        settings.with_hosts("not a name")


def test_an_ipv6_address_is_written_in_brackets_where_a_host_header_carries_it() -> None:
    assert host_header_patterns(("localhost", "::1", "fe80::1", "10.0.0.1")) == [
        "localhost",
        "[::1]",
        "[fe80::1]",
        "10.0.0.1",
    ]


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("localhost", True),
        ("LOCALHOST", True),
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("", False),
        ("192.168.1.20", False),
        ("tablet.local", False),
        ("localhost.example", False),
    ],
)
def test_only_this_machine_own_addresses_are_loopback(address: str, loopback: bool) -> None:
    assert is_loopback(address) is loopback


def test_local_mode_refuses_the_network_and_says_why_and_how() -> None:
    refusal = address_refusal("0.0.0.0", team_mode=False, allow_network=False)
    assert refusal is not None
    assert "'0.0.0.0'" in refusal and "local mode" in refusal and "without signing in" in refusal
    assert f"{ALLOW_NETWORK_VARIABLE}=1" in refusal and ALLOWED_HOSTS_VARIABLE in refusal
    assert "every address" in (address_refusal("", team_mode=False, allow_network=False) or "")


def test_this_machine_team_mode_or_the_explicit_setting_are_served() -> None:
    assert address_refusal("localhost", team_mode=False, allow_network=False) is None
    assert address_refusal("0.0.0.0", team_mode=True, allow_network=False) is None
    assert address_refusal("192.168.1.20", team_mode=False, allow_network=True) is None


def test_team_mode_is_an_auth_section_with_everything_sign_in_needs() -> None:
    assert not auth_configured({}) and not auth_configured({"auth": {}}) and not auth_configured({"auth": "x"})
    assert auth_configured({"auth": AUTH}) and auth_problem({"auth": AUTH}) is None
    for key in AUTH:
        assert (
            auth_problem({"auth": {**AUTH, key: " "}}) == f"the secrets' [auth] section has no {key} (README, Sign-in)"
        )
    assert redirect_host({"auth": AUTH}) == "ecomap.example.gov.uk"
    assert redirect_host({}) is None


def test_streamlit_own_websocket_check_starts_from_the_same_names() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert tuple(config["server"]["allowedHosts"]) == LOOPBACK_HOSTS


@pytest.mark.parametrize("secret", ["short", "replace with a long random string of more than 32 characters"])
def test_a_cookie_secret_that_is_short_or_the_example_one_is_refused(secret: str) -> None:
    assert auth_problem({"auth": {**AUTH, "cookie_secret": secret}}) == (
        "the secrets' cookie_secret must be a random string of at least 32 characters "
        '(python -c "import secrets; print(secrets.token_urlsafe(48))")'
    )


def test_the_example_secrets_hold_every_key_sign_in_needs_but_a_secret() -> None:
    example = tomllib.loads((ROOT / ".streamlit" / "secrets.toml.example").read_text(encoding="utf-8"))
    assert auth_problem(example) == auth_problem({"auth": {**AUTH, "cookie_secret": "short"}})
    assert auth_problem({"auth": {**example["auth"], "cookie_secret": AUTH["cookie_secret"]}}) is None
    assert ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


# -- the server itself --------------------------------------------------------------------------------


def start(
    *args: str, env: dict[str, str] | None = None, tmp_path: Path, port: int | None = None
) -> subprocess.Popen[str]:
    """``streamlit run ecomap_app.py`` with these options, on its own database."""
    environment = {
        **os.environ,
        "ECOMAP_DATABASE_URL": f"sqlite:///{tmp_path / 'ecomap.db'}",
        **(env or {}),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "ecomap_app.py", "--server.port", str(port or free_port()), *args],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def refused(process: subprocess.Popen[str]) -> tuple[int, str]:
    _, err = process.communicate(timeout=60)
    return process.returncode, err


@pytest.mark.parametrize("address", ["0.0.0.0", "::"])
def test_local_mode_will_not_serve_every_address(address: str, tmp_path: Path) -> None:
    status, err = refused(start("--server.address", address, tmp_path=tmp_path))
    assert status == 2
    assert f"Ecomap will not serve {address!r}: it is in local mode" in err
    assert f"{ALLOW_NETWORK_VARIABLE}=1" in err
    assert "Traceback" not in err


def test_a_setting_that_cannot_be_read_stops_the_server(tmp_path: Path) -> None:
    status, err = refused(start(env={IDLE_MINUTES_VARIABLE: "soon"}, tmp_path=tmp_path))
    assert status == 2
    assert f"Ecomap cannot start: {IDLE_MINUTES_VARIABLE}: 'soon' is not a number of minutes" in err
    assert "Traceback" not in err


def test_secrets_that_cannot_be_read_never_fall_back_to_local_mode(tmp_path: Path) -> None:
    broken = tmp_path / "secrets.toml"
    broken.write_text("[auth\nredirect_uri = ", encoding="utf-8")
    status, err = refused(start("--secrets.files", str(broken), tmp_path=tmp_path))
    assert (status, "Traceback" in err) == (2, False)
    assert f"Ecomap cannot start: {broken} cannot be read" in err
    half = tmp_path / "half.toml"
    half.write_text('[auth]\nredirect_uri = "http://localhost:1/oauth2callback"\n', encoding="utf-8")
    status, err = refused(start("--secrets.files", str(half), tmp_path=tmp_path))
    assert status == 2
    assert "Ecomap cannot start: the secrets' [auth] section has no cookie_secret" in err


def health(port: int, host: str) -> int:
    """The status of the server's health check asked for by the name ``host``."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/_stcore/health", headers={"Host": f"{host}:{port}"})
        return connection.getresponse().status
    finally:
        connection.close()


def test_the_setting_lets_local_mode_serve_the_network_by_the_names_given(tmp_path: Path) -> None:
    port = free_port()
    env = {ALLOW_NETWORK_VARIABLE: "1", ALLOWED_HOSTS_VARIABLE: "tablet.local"}
    process = start("--server.address", "0.0.0.0", env=env, tmp_path=tmp_path, port=port)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, "the server stopped"
            try:
                assert health(port, "127.0.0.1") == 200
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert health(port, "tablet.local") == 200
        assert health(port, "evil.example") == 400
    finally:
        process.terminate()
        process.communicate(timeout=30)


def test_streamlit_own_websocket_check_is_given_every_allowed_name() -> None:
    script = (
        "import ecomap_app\n"
        "from streamlit import config\n"
        "print(config.get_option('server.allowedHosts'))\n"
        "config.get_config_options(force_reparse=True)\n"
        "print(config.get_option('server.allowedHosts'))\n"
    )
    env = {**os.environ, ALLOWED_HOSTS_VARIABLE: "tablet.local,[fe80::1]"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    expected = str(["localhost", "127.0.0.1", "::1", "tablet.local", "fe80::1"])
    assert done.stdout.splitlines() == [expected, expected]  # and again after the config is read again
