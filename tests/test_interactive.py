"""The interactive map's data (ecomap/render/interactive.py): what vis-network and the map's script draw."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, get_args, get_type_hints

import pytest

from ecomap.analysis import findings
from ecomap.i18n import translator
from ecomap.layout import RING_MARGIN, RINGS, Spot, place, to_xy
from ecomap.model import NAME_MAX, PERSON, EcoMap
from ecomap.render.interactive import (
    EDGE_DEFAULTS,
    NODE_DEFAULTS,
    VIEW_HEIGHTS,
    WORLD_RADIUS,
    MapData,
    MapMessage,
    add_form,
    bar_words,
    composed,
    frame,
    frame_values,
    full_edge,
    full_node,
    legend,
    map_message,
    pack,
    sync_message,
    vis_data,
)
from ecomap.render.style import (
    ASSET_HALO,
    BACKGROUND,
    EMPTY_SEAT_ANGLE,
    GAP_MARKER,
    HOPED_FOR_OPACITY,
    KIND_SHAPES,
    LINE_COLOUR,
    LINK_COLOUR,
    LINK_LINE,
    PAST_COLOUR,
    PERSON_COLOUR,
    RING_FILLS,
    SECTOR_COLOURS,
    STRENGTH_LINES,
    STRESS_COLOUR,
)
from ecomap.vocab import FLOWS, KINDS, ROLES, SECTORS, STATUSES, STRENGTHS
from tests.conftest import alys, document

ROOT = Path(__file__).resolve().parent.parent


def one_tie(**fields: Any) -> EcoMap:
    """Alys and one tie, t1, with ``fields`` (a family tie unless they say otherwise)."""
    tie = {"id": "t1", "name": "Nain", "sector": "family", **fields}
    return EcoMap.from_dict(document(ties=[tie], links=[], plan=[]))


def node_of(data: MapData, node_id: str) -> dict[str, Any]:
    return full_node(next(node for node in data["nodes"] if node["id"] == node_id), data)


def edge_of(data: MapData, edge_id: str) -> dict[str, Any]:
    return full_edge(next(edge for edge in data["edges"] if edge["id"] == edge_id), data)


def rgba(colour: str, opacity: float) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{opacity})"


def opacity(colour: str) -> float:
    return float(colour.removesuffix(")").rsplit(",", 1)[1])


# -- vis_data: the nodes -----------------------------------------------------------------------------


def test_one_node_for_the_person_and_one_for_each_tie_in_map_order() -> None:
    data = vis_data(alys())
    assert [node["id"] for node in data["nodes"]] == [PERSON, "t1", "t2", "t3"]
    assert [node["label"] for node in data["nodes"]] == ["Alys", "Mam", "Côr Meibion", "Meddygfa"]


def test_the_person_is_a_fixed_dot_at_the_centre_in_the_persons_colour() -> None:
    person = node_of(vis_data(alys()), PERSON)
    assert (person["x"], person["y"], person["fixed"], person["kind"], person["shape"]) == (0, 0, True, "centre", "dot")
    assert person["color"] == {"background": PERSON_COLOUR, "border": PERSON_COLOUR}
    assert person["size"] > NODE_DEFAULTS["size"]
    assert person["font"]["size"] > NODE_DEFAULTS["font"]["size"]


def test_each_tie_is_drawn_where_the_layout_places_it_with_its_kinds_shape() -> None:
    m = alys()
    data, spots = vis_data(m), place(m)
    for tie in m.ties:
        node = node_of(data, tie.id)
        assert (node["x"], node["y"]) == (round(spots[tie.id].x * WORLD_RADIUS), round(spots[tie.id].y * WORLD_RADIUS))
        assert node["shape"] == KIND_SHAPES[tie.kind]
        assert node["sector"] == tie.sector


def test_a_kept_layout_is_drawn_as_given() -> None:
    m = alys()
    spots = dict(place(m), t1=Spot(angle=90.0, distance=0.3, x=0.3, y=0.0))
    node = node_of(vis_data(m, spots=spots), "t1")
    assert (node["x"], node["y"]) == (round(0.3 * WORLD_RADIUS), 0)


@pytest.mark.parametrize("sector", list(SECTORS))
@pytest.mark.parametrize("status", list(STATUSES))
def test_a_ties_node_takes_its_sectors_colour_and_shows_its_status(sector: str, status: str) -> None:
    node = node_of(vis_data(one_tie(sector=sector, status=status)), "t1")
    colour = node["color"]
    if status == "current":
        assert colour == {"background": rgba(SECTOR_COLOURS[sector], 1.0), "border": rgba(SECTOR_COLOURS[sector], 1.0)}
        assert node["shapeProperties"]["borderDashes"] is False
        assert node["font"]["color"] == NODE_DEFAULTS["font"]["color"]
    else:
        assert node["shapeProperties"]["borderDashes"], "a tie not in the person's life now has a dashed outline"
        assert node["font"]["color"] != NODE_DEFAULTS["font"]["color"], "and a fainter name"
    if status == "hoped_for":
        assert colour["background"] == rgba(SECTOR_COLOURS[sector], HOPED_FOR_OPACITY)
        assert colour["border"].startswith(rgba(SECTOR_COLOURS[sector], 1.0).rsplit(",", 1)[0])
        assert opacity(colour["border"]) >= HOPED_FOR_OPACITY, "the outline no fainter than the fill"
    if status == "past":
        assert colour == {"background": BACKGROUND, "border": rgba(PAST_COLOUR, 1.0)}


def test_the_selected_tie_and_the_start_of_a_link_get_a_dark_border_over_their_own_colour() -> None:
    data = vis_data(alys(), selected="t2", link_from="t3")
    for tie_id in ("t2", "t3"):
        node = node_of(data, tie_id)
        assert node["borderWidth"] == 4
        assert node["color"]["border"] == PERSON_COLOUR
        assert node["color"]["background"] == node_of(vis_data(alys()), tie_id)["color"]["background"]
    assert node_of(data, "t1")["borderWidth"] == NODE_DEFAULTS["borderWidth"]


# -- vis_data: the lines -----------------------------------------------------------------------------


@pytest.mark.parametrize("strength", list(STRENGTHS))
@pytest.mark.parametrize("status", list(STATUSES))
def test_a_ties_line_follows_the_style_table_for_its_strength_and_status(strength: str, status: str) -> None:
    edge = edge_of(vis_data(one_tie(strength=strength, status=status)), "tie:t1")
    line = STRENGTH_LINES[strength]
    assert (edge["from"], edge["to"], edge["kind"], edge["strength"]) == (PERSON, "t1", "tie", strength)
    assert edge["width"] == line.width
    assert edge["breakMark"] is line.break_mark
    if line.dashes:
        assert edge["dashes"] == list(line.dashes)
    else:
        assert edge["dashes"] == ([6, 6] if status != "current" else False), "not in the life now: dashed"
    expected_colour = {"current": LINE_COLOUR, "hoped_for": rgba(LINE_COLOUR, HOPED_FOR_OPACITY), "past": PAST_COLOUR}
    assert edge["color"]["color"] == expected_colour[status]


#: The person is the "from" end of every tie's line, so support coming to the person points at "from".
ARROWS = {"to_person": "from", "from_person": "to", "both": "to, from", "none": ""}


def test_every_flow_has_its_arrows() -> None:
    assert set(ARROWS) == set(FLOWS)


@pytest.mark.parametrize(("flow", "arrows"), ARROWS.items())
def test_the_arrowheads_show_which_way_support_flows(flow: str, arrows: str) -> None:
    tie = one_tie(flow=flow, support=["practical"] if flow != "none" else [])
    assert edge_of(vis_data(tie), "tie:t1")["arrows"] == arrows


def test_a_stressful_tie_gets_tick_marks_and_a_cut_off_one_its_break() -> None:
    data = vis_data(alys().with_tie_fields("t1", strength="cut_off"))
    assert [edge_of(data, f"tie:{t}")["stressful"] for t in ("t1", "t2", "t3")] == [False, False, True]
    assert [edge_of(data, f"tie:{t}")["breakMark"] for t in ("t1", "t2", "t3")] == [True, False, False]
    assert (data["stressColour"], data["backgroundColour"]) == (STRESS_COLOUR, BACKGROUND)


def test_a_link_is_a_thin_dotted_line_between_two_ties() -> None:
    m = alys()
    link = edge_of(vis_data(m), "link:t1:t2")
    assert (link["from"], link["to"], link["kind"], link["stressful"]) == ("t1", "t2", "link", False)
    assert (link["width"], link["dashes"]) == (LINK_LINE.width, list(LINK_LINE.dashes))
    assert link["color"] == {"color": LINK_COLOUR}
    stressful = m.replace(links=[{"between": ["t1", "t2"], "stressful": True}])
    assert edge_of(vis_data(stressful), "link:t1:t2")["stressful"] is True
    assert "link" in vis_data(one_tie())["styles"]  # a link drawn on the map at once has its style


# -- vis_data: what the findings show ----------------------------------------------------------------


def test_without_findings_to_show_nothing_is_highlighted() -> None:
    data = vis_data(alys())
    nodes = [full_node(node, data) for node in data["nodes"]]
    assert not any(node["shadow"]["enabled"] or node["gapMarker"] for node in nodes)
    assert data["emptySeats"] == []


def test_assets_get_a_halo_areas_to_explore_a_marker_and_an_empty_ring_a_seat() -> None:
    m = alys()  # Mam is strong, the GP surgery stressful, and no one is in the community yet
    shown = findings(m)
    assets = {f.tie for f in shown if f.kind == "asset" and f.tie}
    gaps = {f.tie for f in shown if f.kind == "gap" and f.tie}
    assert "t1" in assets and "t3" in gaps
    data = vis_data(m, highlight=shown)
    for tie in m.ties:
        node = node_of(data, tie.id)
        if tie.id in assets:
            assert node["shadow"]["enabled"] is True
            assert node["shadow"]["color"] == ASSET_HALO
        else:
            assert node["shadow"]["enabled"] is False
        assert node["gapMarker"] is (tie.id in gaps)
    inner, outer = RINGS["community"]
    x, y = to_xy(EMPTY_SEAT_ANGLE, (inner + outer) / 2)
    assert data["emptySeats"] == [{"x": x * WORLD_RADIUS, "y": y * WORLD_RADIUS, "label": "?"}]
    assert data["gapColour"] == GAP_MARKER


def test_only_the_findings_asked_for_are_shown() -> None:
    m = alys()
    strong = [f for f in findings(m) if f.id == "strong-tie"]
    data = vis_data(m, highlight=strong)
    assert [node["id"] for node in data["nodes"] if "shadow" in node] == ["t1"]
    assert not any(node.get("gapMarker") for node in data["nodes"])
    assert data["emptySeats"] == []


# -- vis_data: the rings and the defaults ------------------------------------------------------------


@pytest.mark.parametrize(("language", "family"), [("en", "Family"), ("cy", "Teulu")])
def test_one_ring_for_each_sector_named_in_the_readers_language(language: str, family: str) -> None:
    rings = vis_data(alys(), t=translator(language))["rings"]
    assert [ring["sector"] for ring in rings] == list(RINGS)
    assert rings[0]["label"] == family
    for ring in rings:
        sector = ring["sector"]
        assert (ring["inner"], ring["outer"]) == RINGS[sector]
        assert (ring["fill"], ring["colour"]) == (RING_FILLS[sector], SECTOR_COLOURS[sector])


def test_the_data_has_exactly_the_keys_of_map_data() -> None:
    data = vis_data(alys())
    assert set(data) == set(get_type_hints(MapData))
    assert (data["radius"], data["nodeDefaults"], data["edgeDefaults"]) == (WORLD_RADIUS, NODE_DEFAULTS, EDGE_DEFAULTS)


def repeats(item: Mapping[str, Any], defaults: Mapping[str, Any], where: str = "") -> list[str]:
    """The keys of ``item`` that only say again what ``defaults`` says."""
    said: list[str] = []
    for key, value in item.items():
        if key not in defaults:
            continue
        if isinstance(value, dict) and isinstance(defaults[key], dict):
            said += repeats(value, defaults[key], f"{where}{key}.")
        elif value == defaults[key]:
            said.append(f"{where}{key}")
    return said


def test_nodes_lines_and_styles_carry_only_what_the_defaults_do_not_say() -> None:
    m = alys().with_tie_fields("t2", strength="cut_off")
    data = vis_data(m, highlight=findings(m), selected="t1")
    for node in data["nodes"]:
        assert not repeats(node, NODE_DEFAULTS), node["id"]
    for edge in data["edges"]:
        assert not repeats(edge, EDGE_DEFAULTS), edge["id"]
    for name, style in data["styles"].items():
        assert not repeats(style, NODE_DEFAULTS) and not repeats(style, EDGE_DEFAULTS), name


def test_full_node_and_full_edge_fill_in_the_style_and_the_defaults_and_change_nothing() -> None:
    data = vis_data(alys())
    person, before = data["nodes"][0], json.dumps(data, sort_keys=True)
    full = full_node(person, data)
    assert full["font"] == {**NODE_DEFAULTS["font"], **person["font"]}, "its own font size, the default face"
    assert full["widthConstraint"] == NODE_DEFAULTS["widthConstraint"]
    bare = full_node({"id": "x"}, data)
    assert bare == {"id": "x", **NODE_DEFAULTS}
    assert full_edge({"to": "t1"}, data) == {"to": "t1", **EDGE_DEFAULTS}
    tie = full_edge(data["edges"][0], data)
    assert {key: tie[key] for key in data["styles"]["strong:current"]} == data["styles"]["strong:current"]
    assert json.dumps(data, sort_keys=True) == before


# -- map_message -------------------------------------------------------------------------------------


def message(**options: Any) -> MapMessage:
    return map_message(vis_data(alys()), **options)


def test_every_view_has_a_height() -> None:
    assert set(get_args(get_type_hints(map_message)["view"])) == set(VIEW_HEIGHTS)


@pytest.mark.parametrize("view", list(VIEW_HEIGHTS))
def test_the_map_takes_its_views_share_of_the_window(view: str) -> None:
    assert message(view=view)["heightShare"] == VIEW_HEIGHTS[view]


def test_the_browser_keeps_a_dragged_tie_inside_its_ring_by_the_layouts_margin() -> None:
    assert message()["ringMargin"] == RING_MARGIN


def test_the_spot_of_someone_about_to_be_added_is_the_browsers_marked_in_the_persons_colour() -> None:
    assert message()["pendingColour"] == PERSON_COLOUR  # the map's own form marks the spot tapped


def test_the_message_is_the_data_and_what_the_app_adds_and_nothing_else() -> None:
    data = vis_data(alys())
    sent = map_message(data, bar=bar_words(person="Alys"), vis_url="vis.js", script_url="map.js")
    assert set(sent) == set(get_type_hints(MapMessage))
    assert set(get_type_hints(MapData)) < set(sent)
    assert all(dict(sent)[key] == dict(data)[key] for key in get_type_hints(MapData))
    assert (sent["visUrl"], sent["scriptUrl"]) == ("vis.js", "map.js")
    assert sent["heightShare"] == VIEW_HEIGHTS["map"]


@pytest.mark.parametrize("sector", list(SECTORS))
def test_the_style_table_draws_every_tie_in_every_combination_of_its_values(sector: str) -> None:
    """The browser draws any tie with any values at once, from the frame and the style table."""
    for strength in STRENGTHS:
        for status in STATUSES:
            for stressful in (False, True):
                for support in (None, {"practical": "gets"}, {"social": "gives"}, {"emotional": "both"}):
                    fields = {"strength": strength, "status": status, "stressful": stressful, "support": support}
                    m = one_tie(sector=sector).with_tie_fields("t1", **fields)
                    data = vis_data(m)
                    nodes, edges = composed(map_message(frame(data, m)), sync_message(m, version=1, description=""))
                    assert nodes == [full_node(node, data) for node in data["nodes"]]
                    assert edges == [full_edge(edge, data) for edge in data["edges"]]
    assert len(vis_data(one_tie())["styles"]) == len(SECTORS) * len(STATUSES) + len(STRENGTHS) * len(STATUSES) + 1


def test_the_frame_keeps_the_names_as_text_and_the_values_leave_it() -> None:
    m = alys().with_tie_fields("t1", name="<b>Mam</b> & co")
    framed = json.loads(pack(map_message(frame(vis_data(m), m))))
    assert framed["nodes"][1]["label"] == "<b>Mam</b> & co" and framed["edges"] == []
    changed = m.with_tie_fields("t1", strength="tenuous", status="past", stressful=True, support={})
    assert pack(map_message(frame(vis_data(changed), changed))) == pack(map_message(frame(vis_data(m), m)))
    sync = sync_message(changed, version=2, description="", applied=4, refused={"edit": 3, "reason": "No"})
    assert sync["ties"]["t1"] == (2, 2, 1) and (sync["applied"], sync["refused"]) == (4, {"edit": 3, "reason": "No"})


def test_the_values_element_carries_only_what_differs_from_the_frames_values() -> None:
    m = alys()
    base = frame_values(m)
    changed = m.with_tie_fields("t2", strength="tenuous", stressful=True).with_link_toggled("t1", "t2")
    sync = sync_message(changed, version=2, description="", base=base)
    assert set(sync["ties"]) == {"t2"} and sync["links"] is not None
    assert sync_message(m, version=1, description="", base=base)["ties"] == {}
    assert sync_message(m, version=1, description="", base=base)["links"] is None  # the frame's
    # Drawn over the frame's values, it is the changed map, line for line.
    data = vis_data(changed)
    nodes, edges = composed(map_message(frame(vis_data(m), m), values=base), sync)
    assert nodes == [full_node(node, data) for node in data["nodes"]]
    assert sorted(edges, key=lambda edge: edge["id"]) == sorted(
        (full_edge(edge, data) for edge in data["edges"]), key=lambda edge: edge["id"]
    )


def test_the_frame_names_the_editors_choices_the_map_draws_at_once() -> None:
    from ui.tie_editor import MAP_DRAWN

    sent = map_message(vis_data(alys()), editor_choices=MAP_DRAWN)
    assert sent["editorChoices"] == {"strength": list(STRENGTHS), "stressful": [False, True], "status": list(STATUSES)}
    assert map_message(vis_data(alys()))["editorChoices"] is None


# -- pack, and what the browser does with it ---------------------------------------------------------


def unpack(data: dict[str, Any]) -> dict[str, Any]:
    """``unpack`` of ui/ecomap_map.js: the edge ids ``pack`` left out put back."""
    for edge in data["edges"]:
        if not edge.get("id"):
            edge["id"] = f"link:{edge['from']}:{edge['to']}" if edge.get("from") else f"tie:{edge['to']}"
    return data


def _spread(value: Any) -> dict[Any, Any]:
    """JavaScript's ``{...value}``: nothing for null, the indices of an array."""
    if value is None:
        return {}
    return dict(enumerate(value)) if isinstance(value, list) else dict(value)


def with_defaults(item: Mapping[str, Any], *layers: Mapping[str, Any]) -> dict[str, Any]:
    """``withDefaults`` of ui/ecomap_map.js, line for line."""
    full = dict(item)
    for layer in layers:
        for key, value in layer.items():
            if key not in full:
                full[key] = value
            elif isinstance(value, dict) and (full[key] is None or isinstance(full[key], dict | list)):
                full[key] = {**value, **_spread(full[key])}
    return full


def without_style(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if key != "style"}


def test_the_packed_data_has_no_edge_id_the_browser_works_out() -> None:
    data = vis_data(alys(), highlight=findings(alys()))
    packed = json.loads(pack(data))
    assert set(packed) == set(data) and packed["styles"] == data["styles"]
    assert not [edge for edge in packed["edges"] if "id" in edge]
    assert packed["nodes"] == data["nodes"]


def test_an_edge_id_the_browser_cannot_work_out_is_kept() -> None:
    data = vis_data(alys())
    data["edges"][0] = {**data["edges"][0], "id": "ghost:t9"}
    assert json.loads(pack(data))["edges"][0]["id"] == "ghost:t9"


def test_the_packed_data_is_compact_utf8() -> None:
    packed = pack(vis_data(alys()))
    assert '"label":"Côr Meibion"'.encode() in packed
    assert json.dumps(json.loads(packed), ensure_ascii=False, separators=(",", ":")).encode() == packed


def test_what_the_browser_unpacks_and_fills_in_is_what_full_node_and_full_edge_give() -> None:
    m = alys().with_tie_fields("t2", strength="tenuous").with_tie_fields("t1", strength="cut_off")
    data = vis_data(m, highlight=findings(m), selected="t3")
    browser = unpack(json.loads(pack(map_message(data))))
    styles, node_defaults, edge_defaults = browser["styles"], browser["nodeDefaults"], browser["edgeDefaults"]
    nodes = [with_defaults(node, styles.get(node.get("style"), {}), node_defaults) for node in browser["nodes"]]
    edges = [with_defaults(edge, styles.get(edge.get("style"), {}), edge_defaults) for edge in browser["edges"]]
    assert [without_style(node) for node in nodes] == [without_style(full_node(node, data)) for node in data["nodes"]]
    assert [without_style(edge) for edge in edges] == [without_style(full_edge(edge, data)) for edge in data["edges"]]


# -- bar_words -------------------------------------------------------------------------------------


def test_the_bar_speaks_welsh() -> None:
    words = bar_words(translator("cy"), person="Alys")
    assert [label for _, label in words["strengths"]] == ["Cryf", "Cymedrol", "Bregus", "Wedi torri"]
    assert words["stressful"] == "Yn achosi straen"
    assert all(value for value in words.values())


# -- legend ------------------------------------------------------------------------------------------

#: Legend words that Welsh writes the same way.
SAME_IN_WELSH = {"Person"}


def test_the_legend_has_an_entry_for_each_line_arrow_shape_status_and_highlight() -> None:
    entries = legend()
    assert [key for key, _ in entries["lines"]] == [*STRENGTHS, "stressful", "link"]
    assert [key for key, _ in entries["arrows"]] == [key for key in FLOWS if key != "none"]
    assert [key for key, _ in entries["shapes"]] == list(KINDS)
    assert [key for key, _ in entries["status"]] == ["hoped_for", "past"]
    assert [key for key, _ in entries["highlight"]] == ["asset", "gap", "empty"]
    assert entries["lines"][:4] == [(key, f"{term.label}: {term.description}") for key, term in STRENGTHS.items()]


def test_the_legend_says_the_same_in_welsh() -> None:
    english, welsh = legend(), legend(translator("cy"))
    assert {group: [key for key, _ in entries] for group, entries in welsh.items()} == {
        group: [key for key, _ in entries] for group, entries in english.items()
    }
    untranslated = [
        text
        for group in english
        for (_, text), (_, cymraeg) in zip(english[group], welsh[group], strict=True)
        if text == cymraeg and text not in SAME_IN_WELSH
    ]
    assert not untranslated
    assert welsh["lines"][0] == ("strong", "Cryf: Llinell solet drwchus")


# -- the browser reads every key it is sent ------------------------------------------------------


def loader_js() -> str:
    """``LOADER_JS`` of ui/mapview.py, read from its source (the module itself needs Streamlit)."""
    tree = ast.parse((ROOT / "ui" / "mapview.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "LOADER_JS" for t in node.targets):
            assert isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
            return node.value.value
    raise AssertionError("ui/mapview.py has no LOADER_JS")


def keys_read(script: str) -> set[str]:
    """The keys a script reads from its data: ``data.key``, or ``const { key, ... } = data``."""
    read = set(re.findall(r"\bdata\.(\w+)", script))
    for names in re.findall(r"\{([^{}]*)\}\s*=\s*(?:[\w.]+\.)?data\b", script):
        read |= {name.split(":")[0].strip() for name in names.split(",") if name.strip()}
    return read


def test_the_scripts_read_how_keys_are_found() -> None:
    assert keys_read("const { styles, nodeDefaults } = s.data; f(data.radius); g(s.data.quick);") == {
        "styles",
        "nodeDefaults",
        "radius",
        "quick",
    }


def test_every_key_of_the_message_is_read_by_the_browser() -> None:
    component = "".join((ROOT / "ui" / part).read_text(encoding="utf-8") for part in ("ecomap_map.js", "ecomap_add.js"))
    drawing = (ROOT / "ecomap" / "render" / "draw.js").read_text(encoding="utf-8")
    loader = loader_js()
    unread = set(get_type_hints(MapMessage)) - keys_read(component) - keys_read(drawing) - keys_read(loader)
    assert not unread, f"MapMessage sends {sorted(unread)}, which no script reads"
    assert {"visUrl"} <= keys_read(component) and {"scriptUrl"} <= keys_read(loader)


# -- the map's own form to add someone ----------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_add_forms_roles_are_each_rings_role_chips_after_none_in_the_readers_language(language: str) -> None:
    t = translator(language)
    form = add_form(t)
    assert set(form["roles"]) == set(SECTORS) and form["nameMax"] == NAME_MAX
    for sector, roles in form["roles"].items():
        assert roles[0] == ("", t("Someone or something else"), KIND_SHAPES["person"])
        chips = [(key, t(role.label), KIND_SHAPES[role.kind]) for key, role in ROLES.items() if role.sector == sector]
        assert roles[1:] == chips
        assert form["titles"][sector] == t("Add to {ring}", ring=t(SECTORS[sector].label))
    if language == "cy":
        assert form["titles"]["community"] == "Ychwanegu at Gymuned" and form["add"] == "Ychwanegu at y map"
