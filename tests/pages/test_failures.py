"""The last word of every page on an error it did not catch: plain, and never the error's own text."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _failing(kind: str) -> None:
    from ecomap.errors import StoreUnavailable
    from ui.failures import script_error

    error: Exception = StoreUnavailable("it is locked") if kind == "store" else KeyError("Alys Pritchard")
    assert script_error(error) is True


def test_a_database_that_cannot_be_used_says_why_and_that_nothing_is_lost() -> None:
    at = AppTest.from_function(_failing, args=("store",)).run()
    assert not at.exception
    [shown] = at.error
    assert "it is locked" in shown.value and "Everything saved before is kept" in shown.value


def test_any_other_error_shows_none_of_its_own_text() -> None:
    at = AppTest.from_function(_failing, args=("other",)).run()
    [shown] = at.error
    assert "Something went wrong" in shown.value
    assert "Alys" not in shown.value


def test_the_served_app_routes_every_uncaught_error_to_it() -> None:
    import ecomap_app
    from ui.failures import script_error

    assert ecomap_app.app._on_script_error is script_error
