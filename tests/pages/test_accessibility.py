"""The accessibility statement (pages/accessibility.py): in English and Welsh, reached from every page's sidebar."""

from __future__ import annotations

import ast
import sys

from ecomap.store import Store
from tests.pages.conftest import ROOT, people_page

sys.path.insert(0, str(ROOT / "scripts"))
from fetch_axe import AXE_VERSION


def statement_page():  # type: ignore[no-untyped-def]
    return people_page().switch_page("pages/accessibility.py")


def test_the_statement_names_what_was_tested_and_what_does_not_meet_the_standard(database: Store) -> None:
    at = statement_page().run()
    assert not at.exception
    assert [h.value for h in at.title] == ["Accessibility statement"]
    assert [h.value for h in at.header] == [
        "How it is tested",
        "Using Ecomap with a keyboard",
        "What does not meet the standard yet",
        "Telling us",
    ]
    text = " ".join(m.value for m in at.markdown)
    assert f"axe-core {AXE_VERSION}" in text
    assert "768 by 1024" in text and "1024 by 768" in text and "keyboard alone" in text


def test_the_statement_is_in_welsh_too(database: Store) -> None:
    at = statement_page()
    at.session_state["language"] = "cy"
    at.run()
    assert [h.value for h in at.title] == ["Datganiad hygyrchedd"]
    assert f"axe-core {AXE_VERSION}" in " ".join(m.value for m in at.markdown)


def test_the_sidebar_links_the_statement(database: Store) -> None:
    at = people_page().run()
    links = [link.proto.page for link in at.sidebar.get("page_link")]
    assert "accessibility" in links


def test_the_statement_names_the_axe_core_release_the_tests_fetch() -> None:
    tree = ast.parse((ROOT / "pages" / "accessibility.py").read_text(encoding="utf-8"))
    pinned = [
        node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(target, ast.Name) and target.id == "AXE_CORE" for target in node.targets)
        and isinstance(node.value, ast.Constant)
    ]
    assert pinned == [AXE_VERSION]
