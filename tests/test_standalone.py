"""The standalone HTML export (ecomap/render/standalone.py), read back with Python's own HTML parser.

What a browser does with the page (the fit, requests, dialogs) is in tests/e2e/test_standalone.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from ecomap.conversation import tie_rows
from ecomap.i18n import translator
from ecomap.model import EcoMap
from ecomap.render.interactive import legend
from ecomap.render.standalone import script_json, standalone_html
from ecomap.vocab import SECTORS, STATUSES, STRENGTHS
from tests.conftest import alys, busy_family, document

HOSTILE = ["<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", '" onmouseover="alert(1)']
VOID = {"meta", "link", "br", "img", "input", "hr", "source", "wbr", "area", "base", "col", "embed", "track"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def walk(self) -> list[Element]:
        found = [self]
        for child in self.children:
            if isinstance(child, Element):
                found += child.walk()
        return found

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        return [e for e in self.walk() if e.tag == tag and all(attr_has(e, k, v) for k, v in attrs.items())]

    def find(self, tag: str, **attrs: str) -> Element:
        (found,) = self.find_all(tag, **attrs)
        return found


def attr_has(element: Element, name: str, value: str) -> bool:
    name = name.rstrip("_")  # class_ for class
    if name == "class":
        return value in (element.attrs.get("class") or "").split()
    return element.attrs.get(name) == value


class TreeBuilder(HTMLParser):
    """The page as a tree of elements, as html.parser reads it; also the doctype and every attribute seen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return
        raise AssertionError(f"</{tag}> closes nothing")

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(page: str) -> TreeBuilder:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    assert builder.stack == [builder.root], "every element is closed"
    return builder


def with_hostile_names() -> EcoMap:
    ties = [
        {"id": f"t{i}", "name": name, "sector": "community", "own_words": name} for i, name in enumerate(HOSTILE, 1)
    ]
    return EcoMap.from_dict(document(ties=ties, links=[], plan=[], person={"name": HOSTILE[2], "strengths": HOSTILE}))


@pytest.mark.parametrize(("language", "heading"), [("en", "The map in words"), ("cy", "Y map mewn geiriau")])
def test_the_page_is_a_document_in_the_readers_language(language: str, heading: str) -> None:
    page = parse(standalone_html(alys(), t=translator(language)))
    assert page.doctype == "DOCTYPE html"
    html = page.root.find("html")
    assert html.attrs["lang"] == language
    head = html.find("head")
    assert head.find("meta", charset="utf-8")
    assert head.find("meta", name="viewport").attrs["content"] == "width=device-width, initial-scale=1"
    assert head.find("title").text() == "Ecomap: Alys Pritchard"
    assert html.find("h1").text() == "Ecomap: Alys Pritchard"
    assert heading in [h.text() for h in html.find_all("h2")]


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_legend_names_every_line_arrowhead_shape_and_status_with_a_drawing(language: str) -> None:
    t = translator(language)
    entries = legend(t)
    items = parse(standalone_html(alys(), t=t)).root.find("ul", class_="ecomap-legend").find_all("li")
    expected = [text for group in ("lines", "arrows", "shapes", "status") for _, text in entries[group]]
    assert [item.text() for item in items] == expected
    assert all(item.find("svg").attrs["aria-hidden"] == "true" for item in items)


def test_the_map_in_words_lists_each_ring_and_each_tie_with_how_its_line_is_drawn() -> None:
    m = alys()
    words = parse(standalone_html(m)).root.find("ul", class_="ecomap-words")
    rings = [span.text() for span in words.find_all("span", class_="ecomap-ring")]
    assert rings == ["Family", "Community", "Services"]
    ties = words.find_all("li", class_="ecomap-tie")
    assert [li.find("b").text() for li in ties] == [tie.name for tie in m.ties]
    for li, tie, row in zip(ties, m.ties, tie_rows(m), strict=True):
        text = li.text()
        assert f"Strength: {STRENGTHS[tie.strength].label}" in text
        assert f"Status: {STATUSES[tie.status].label}" in text
        assert ("Stressful: Yes" in text) == tie.stressful
        # every word of the map's table about the tie, which way its support goes among them
        assert all(f"{key}: {value}" in text for key, value in row.items() if value and key not in ("Name", "Ring"))
    assert "Who knows whom: Mam and Côr Meibion." in words.text()


def test_a_ring_with_no_one_in_it_says_so() -> None:
    words = parse(standalone_html(busy_family(3))).root.find("ul", class_="ecomap-words")
    assert len(words.find_all("li", class_="ecomap-tie")) == 3
    assert [span.text() for span in words.find_all("span", class_="ecomap-ring")] == [
        "Family",
        *(f"{SECTORS[s].label}: no one on the map yet." for s in ("community", "services")),
    ]


def test_nothing_is_loaded_from_anywhere_and_only_the_pages_own_scripts_may_run() -> None:
    page = parse(standalone_html(busy_family(12)))
    elements = page.root.walk()
    assert [e.tag for e in elements if e.tag in ("link", "img", "iframe", "object", "embed", "base")] == []
    addresses = [value for e in elements for name, value in e.attrs.items() if name in ("src", "href", "action")]
    assert addresses and all(value and value.startswith("#") for value in addresses), addresses
    policy = page.root.find("meta", **{"http-equiv": "Content-Security-Policy"}).attrs["content"] or ""
    assert "default-src 'none'" in policy and "unsafe" not in policy
    scripts = [e.text() for e in page.root.find_all("script") if "type" not in e.attrs]
    hashes = re.findall(r"'sha256-([^']+)'", policy.split("script-src", 1)[1].split(";", 1)[0])
    assert hashes == [base64.b64encode(hashlib.sha256(js.encode()).digest()).decode() for js in scripts]
    assert all("sourceMappingURL" not in js for js in scripts)


def test_hostile_names_stay_words_in_every_part_of_the_page() -> None:
    m = with_hostile_names()
    page = parse(standalone_html(m))
    elements = page.root.walk()
    assert [e.tag for e in elements if e.tag == "img"] == []
    assert [name for e in elements for name in e.attrs if name.startswith("on")] == []
    assert page.root.find("title").text() == f"Ecomap: {HOSTILE[2]}"
    assert page.root.find("h1").text() == f"Ecomap: {HOSTILE[2]}"
    ties = page.root.find("ul", class_="ecomap-words").find_all("li", class_="ecomap-tie")
    assert [li.find("b").text() for li in ties] == HOSTILE
    assert all(li.text().endswith(f"In their own words: {name}") for li, name in zip(ties, HOSTILE, strict=True))
    (data,) = page.root.find_all("script", type="application/json")
    labels = [node["label"] for node in json.loads(data.text())["nodes"]]
    assert labels == [HOSTILE[2], *HOSTILE]
    assert len(page.root.find_all("script")) == 3, "a name never ends a script or starts one"


def test_the_maps_data_is_the_interactive_maps_with_every_node_filled_in() -> None:
    page = parse(standalone_html(alys()))
    data = json.loads(page.root.find("script", type="application/json").text())
    assert [n["id"] for n in data["nodes"]] == ["@person", "t1", "t2", "t3"]
    assert all("font" in n and "shape" in n for n in data["nodes"])
    assert data["viewEdge"] > max(ring["outer"] for ring in data["rings"])
    assert script_json(data) == page.root.find("script", type="application/json").text()
