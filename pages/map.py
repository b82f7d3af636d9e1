"""One person's map, built together on a tablet: tap, drag, add; every change saved at once."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ecomap.analysis import Finding, findings
from ecomap.conversation import PROMPTS, read_back, summary_line
from ecomap.i18n import Translator
from ecomap.layout import keep_in_ring, to_xy
from ecomap.model import PERSON, EcoMap
from ecomap.render.interactive import quick_edits, vis_data
from ecomap.vocab import FLOWS, FREQUENCIES, ROLES, SECTORS, STATUSES, STRENGTHS, SUPPORTS
from ecomap.wording import Suggestion, check, check_map
from ui import editing
from ui.common import HISTORY_PAGE, PEOPLE_PAGE, SHARE_PAGE, page_setup, plain
from ui.legend import legend_html
from ui.mapview import ecomap_map, event

CALM_KEY = "calm_view"
FINDINGS_KEY = "show_findings"
GUIDED_KEY = "guided"
GUIDED_STEP_KEY = "guided_step"
GUIDED_ADDED_KEY = "guided_added"
TABLE_KEY = "show_table"

PAGE_CSS = """
<style>
/* Touch targets of at least 44 CSS pixels, and the map above the tools when the tablet is upright. */
.stButton button, .stDownloadButton button, [data-testid="stButtonGroup"] button,
[data-testid="stPageLink-NavLink"] {
  min-height: 44px; min-width: 44px;
}
[data-testid="stPageLink-NavLink"] { display: flex; align-items: center; }
@media (orientation: portrait) {
  .st-key-workspace [data-testid="stHorizontalBlock"] { flex-direction: column; }
  .st-key-workspace [data-testid="stColumn"] { width: 100% !important; flex: 1 1 100% !important; }
}
</style>
"""
CALM_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header { display: none !important; }
</style>
"""

t = page_setup(sidebar="collapsed")
st.html(PAGE_CSS)


# -- what taps and drags on the map do (run before the page is drawn again) ----------------------


def on_tapped() -> None:
    tie_id = event("tapped")
    if not tie_id:
        return
    link_from = st.session_state.pop(editing.LINK_FROM_KEY, None)
    if link_from and link_from != tie_id:
        editing.apply(editing.toggle_link(link_from, tie_id))
        st.session_state[editing.SELECTED_KEY] = link_from
        return
    st.session_state[editing.SELECTED_KEY] = tie_id
    st.session_state.pop(editing.ADD_AT_KEY, None)


def on_moved() -> None:
    moved = event("moved")
    if moved:
        position = {"angle": moved["angle"], "distance": moved["distance"]}
        editing.apply(editing.tie_fields(moved["id"], position=position))


def on_quick() -> None:
    """A strength or stress chosen on the map's own bar: already drawn there, saved here."""
    quick = event("quick")
    if not isinstance(quick, dict) or quick.get("id") not in {tie.id for tie in editing.current().map.ties}:
        return  # nothing, or a tie someone has removed meanwhile
    fields = {field: quick[field] for field in ("strength", "stressful") if field in quick}
    if fields and editing.apply(editing.tie_fields(quick["id"], **fields)):
        # The editor beside the map shows the new value, and keeps its widgets.
        e = editing.form_epoch()
        if "strength" in fields:
            st.session_state[editor_key("strength", quick["id"], e)] = fields["strength"]
        if "stressful" in fields:
            st.session_state[editor_key("stressful", quick["id"], e)] = "yes" if fields["stressful"] else "no"


def on_add_at() -> None:
    spot = event("add_at")
    if spot and not st.session_state.get(GUIDED_KEY):
        st.session_state[editing.ADD_AT_KEY] = spot
        st.session_state.pop(editing.SELECTED_KEY, None)
        st.session_state.pop(editing.LINK_FROM_KEY, None)


# -- changes made with the tools beside the map -------------------------------------------------


def set_field(tie_id: str, field: str, key: str) -> None:
    value: Any = st.session_state.get(key)
    if field == "stressful":
        value = value == "yes"
    if field in ("strength", "status", "flow") and value is None:
        return  # a second tap on the chosen option leaves it chosen
    editing.apply(editing.tie_fields(tie_id, **{field: value}))


def set_person_list(field: str, key: str) -> None:
    lines = [line.strip() for line in str(st.session_state.get(key, "")).splitlines() if line.strip()]
    editing.apply(lambda m: m.replace(person={**m.person.model_dump(mode="json"), field: lines}))


def add_tie(
    name_key: str, role_key: str, sector: str | None, extra: dict[str, Any], default_sector: str | None = None
) -> None:
    """Add a tie named in ``name_key``: its ring is ``sector``, else the role's, else ``default_sector``."""
    name = str(st.session_state.get(name_key, "")).strip()
    role = ROLES.get(st.session_state.get(role_key) or "")
    chosen_sector = sector or (role.sector if role else None) or default_sector
    if not chosen_sector:
        editing.notice("problems", t("Choose who they are, or which ring they belong in."))
        return
    tie_id = editing.current().map.next_tie_id()
    tie: dict[str, Any] = {"id": tie_id, "name": name, "sector": chosen_sector, **extra}
    if role:
        tie.update(kind=role.kind, role=t(role.label))
    if editing.apply(lambda m: m.with_tie(tie)):
        st.session_state[name_key] = ""
        st.session_state[role_key] = None
        st.session_state.pop(editing.ADD_AT_KEY, None)
        st.session_state[GUIDED_ADDED_KEY] = [*st.session_state.get(GUIDED_ADDED_KEY, []), name]


def remove_tie(tie_id: str) -> None:
    if editing.apply(lambda m: m.without_tie(tie_id)):
        st.session_state.pop(editing.SELECTED_KEY, None)


def focus_tie(tie_id: str) -> None:
    st.session_state[editing.SELECTED_KEY] = tie_id
    st.session_state.pop(editing.ADD_AT_KEY, None)


def add_plan_item(tie_id: str, action_key: str, who_key: str, by_key: str) -> None:
    action = str(st.session_state.get(action_key, "")).strip()
    by = st.session_state.get(by_key)

    def change(m: EcoMap) -> EcoMap:
        used = {item.id for item in m.plan}
        item_id = next(f"a{n}" for n in range(1, len(used) + 2) if f"a{n}" not in used)
        item = {"id": item_id, "action": action, "tie": tie_id, "who": st.session_state.get(who_key, "")}
        if by:
            item["by"] = by.isoformat()
        return m.replace(plan=[*[p.model_dump(mode="json", exclude_none=True) for p in m.plan], item])

    editing.apply(change)


def set_plan_done(item_id: str, key: str) -> None:
    done = bool(st.session_state.get(key))
    editing.apply(
        lambda m: m.replace(
            plan=[
                {**p.model_dump(mode="json", exclude_none=True), "done": done} if p.id == item_id else p for p in m.plan
            ]
        )
    )


def start_link(tie_id: str) -> None:
    st.session_state[editing.LINK_FROM_KEY] = tie_id


def close_panel() -> None:
    for key in (editing.SELECTED_KEY, editing.ADD_AT_KEY, editing.LINK_FROM_KEY):
        st.session_state.pop(key, None)


def guided_step(step: int) -> None:
    st.session_state[GUIDED_STEP_KEY] = step
    st.session_state[GUIDED_ADDED_KEY] = []


def set_guided(on: bool) -> None:
    st.session_state[GUIDED_KEY] = on
    close_panel()
    guided_step(0)


# -- drawing ------------------------------------------------------------------------------------


def role_chips(t: Translator, key: str, sector: str | None = None) -> None:
    options = [r for r, role in ROLES.items() if sector is None or role.sector == sector]
    st.pills(t("Who are they?"), options, format_func=lambda r: t(ROLES[r].label), key=key, wrap=True)


def name_and_role(
    t: Translator,
    prefix: str,
    *,
    ring: str | None = None,
    extra: dict[str, Any] | None = None,
    default_sector: str | None = None,
) -> None:
    """A name, one tap on a role chip, and Add: all that adding someone needs."""
    st.text_input(t("Name"), key=f"{prefix}_name", max_chars=100)
    role_chips(t, f"{prefix}_role", ring)
    st.button(
        t("Add to the map"),
        key=f"{prefix}_add",
        type="primary",
        on_click=add_tie,
        args=(f"{prefix}_name", f"{prefix}_role", ring, extra or {}, default_sector),
    )


def editor_key(field: str, tie_id: str, e: int) -> str:
    """The key of the tie editor's widget for ``field``, in key epoch ``e`` (see ``editing.form_epoch``)."""
    return f"{field}_{tie_id}_{e}"


def segmented(t: Translator, label: str, table: dict[str, Any], tie_id: str, field: str, value: Any, e: int) -> None:
    key = editor_key(field, tie_id, e)
    st.segmented_control(
        label,
        list(table),
        format_func=lambda x: t(table[x].label),
        default=None if key in st.session_state else value,  # the map's own bar may have set it
        key=key,
        on_change=set_field,
        args=(tie_id, field, key),
        wrap=True,
    )


def tie_editor(t: Translator, m: EcoMap, tie_id: str, e: int, v: int) -> None:
    """The tie's editor; ``e`` is the widgets' key epoch, ``v`` the map's version."""
    tie = m.tie(tie_id)
    st.subheader(plain(tie.name))
    if st.session_state.get(editing.LINK_FROM_KEY) == tie_id:
        st.info(t("Now tap the person or place on the map to link with {name}.", name=plain(tie.name)))
    key = editor_key("name", tie_id, e)
    st.text_input(t("Name"), value=tie.name, key=key, max_chars=100, on_change=set_field, args=(tie_id, "name", key))
    segmented(t, t("Strength"), STRENGTHS, tie_id, "strength", tie.strength, e)
    key = editor_key("stressful", tie_id, e)
    st.segmented_control(
        t("Stressful?"),
        ["no", "yes"],
        format_func=lambda x: t("Stressful") if x == "yes" else t("Not stressful"),
        default=None if key in st.session_state else "yes" if tie.stressful else "no",
        key=key,
        on_change=set_field,
        args=(tie_id, "stressful", key),
    )
    segmented(t, t("Support flows"), FLOWS, tie_id, "flow", tie.flow, e)
    key = editor_key("support", tie_id, e)
    st.pills(
        t("Support"),
        list(SUPPORTS),
        selection_mode="multi",
        format_func=lambda x: t(SUPPORTS[x].label),
        default=list(tie.support),
        key=key,
        on_change=set_field,
        args=(tie_id, "support", key),
        wrap=True,
    )
    segmented(t, t("Contact"), FREQUENCIES, tie_id, "frequency", tie.frequency, e)
    segmented(t, t("Status"), STATUSES, tie_id, "status", tie.status, e)
    key = editor_key("own_words", tie_id, e)
    st.text_area(
        t("In their own words"),
        value=tie.own_words,
        key=key,
        max_chars=2000,
        on_change=set_field,
        args=(tie_id, "own_words", key),
    )
    key = editor_key("notes", tie_id, e)
    st.text_area(t("Notes"), value=tie.notes, key=key, max_chars=2000, on_change=set_field, args=(tie_id, "notes", key))
    show_suggestions(t, check(tie.own_words) + check(tie.notes))
    if tie.status == "hoped_for":
        plan_for(t, tie.id, tie.name, v)
    left, middle, right = st.columns(3)
    left.button(t("Link to someone"), key="link_start", on_click=start_link, args=(tie_id,), icon=":material/share:")
    middle.button(t("Remove"), key="remove_tie", on_click=remove_tie, args=(tie_id,), icon=":material/delete:")
    right.button(t("Done"), key="close_editor", on_click=close_panel, type="primary")


def show_suggestions(t: Translator, suggestions: list[Suggestion]) -> None:
    for suggestion in suggestions:
        text = t(
            "You might say “{alternative}” instead of “{phrase}”: {why}",
            alternative=suggestion.alternative,
            phrase=suggestion.phrase,
            why=suggestion.why,
        )
        st.caption(plain(text))


def plan_for(t: Translator, tie_id: str, name: str, v: int) -> None:
    """Turn a hoped-for tie into a plan item: what, who, by when, in one step."""
    with st.container(border=True, key=f"plan_for_{tie_id}"):
        st.markdown(f"**{t('Plan for this together')}**")
        st.text_input(t("What"), value=t("Get back in touch with {name}", name=name), key=f"plan_action_{v}")
        st.text_input(t("Who"), key=f"plan_who_{v}", max_chars=300)
        st.date_input(t("By when"), value=None, key=f"plan_by_{v}", format="DD/MM/YYYY")
        st.button(
            t("Add to the plan"),
            key="plan_add",
            icon=":material/flag:",
            on_click=add_plan_item,
            args=(tie_id, f"plan_action_{v}", f"plan_who_{v}", f"plan_by_{v}"),
        )


def findings_panel(t: Translator, m: EcoMap, e: int, found: list[Finding]) -> None:
    """Assets first, then areas to explore; a finding about a tie is a button that shows it on the map."""
    for kind, heading in (("asset", t("What is strong")), ("gap", t("Areas to explore together"))):
        st.subheader(heading, anchor=False)
        for i, finding in enumerate(f for f in found if f.kind == kind):
            if finding.tie:
                st.button(
                    plain(finding.text),
                    key=f"finding_{kind}_{i}",
                    on_click=focus_tie,
                    args=(finding.tie,),
                    icon=":material/star:" if kind == "asset" else ":material/explore:",
                    width="stretch",
                    wrap=True,
                )
            else:
                st.markdown(f"- {plain(finding.text)}")
    if m.plan:
        st.subheader(t("Plan"), anchor=False)
        for item in m.plan:
            when = f" ({item.by:%d/%m/%Y})" if item.by else ""
            who = f" {t('Who')}: {item.who}." if item.who else ""
            key = f"plan_done_{item.id}_{e}"
            st.checkbox(
                plain(f"{item.action}{when}.{who}"),
                value=item.done,
                key=key,
                on_change=set_plan_done,
                args=(item.id, key),
            )
    suggestions = check_map(m)
    if suggestions:
        st.subheader(t("Words to think about"), anchor=False)
        show_suggestions(t, suggestions)


def add_panel(t: Translator, spot: dict[str, Any]) -> None:
    sector = spot["sector"]
    st.subheader(t("Add to {ring}", ring=t(SECTORS[sector].label)))
    position = {"angle": spot["angle"], "distance": keep_in_ring(sector, spot["distance"])}
    name_and_role(t, "add_at", ring=sector, extra={"position": position})
    st.button(t("Cancel"), key="add_at_cancel", on_click=close_panel)


def quick_add(t: Translator) -> None:
    st.subheader(t("Add someone or something"))
    st.caption(t("Or tap an empty part of a ring on the map to add someone there."))
    name_and_role(t, "quick")


def person_panel(t: Translator, m: EcoMap, e: int) -> None:
    labels = {"what_matters": t("What matters to {name}", name=plain(m.person.called)), "strengths": t("Strengths")}
    for field, label in labels.items():
        key = f"{field}_{e}"
        st.text_area(
            label,
            value="\n".join(getattr(m.person, field)),
            key=key,
            placeholder=t("One on each line, in their words."),
            on_change=set_person_list,
            args=(field, key),
        )


def guided_panel(t: Translator, m: EcoMap) -> None:
    step = st.session_state.get(GUIDED_STEP_KEY, 0)
    if step < len(PROMPTS):
        prompt = PROMPTS[step]
        st.caption(t("Question {n} of {total}", n=step + 1, total=len(PROMPTS)))
        st.subheader(t(prompt.question))
        st.write(t(prompt.hint))
        for name in st.session_state.get(GUIDED_ADDED_KEY, []):
            st.success(t(prompt.affirmation, name=plain(name)), icon=":material/favorite:")
        name_and_role(t, "guided", extra=prompt.preset, default_sector=prompt.sector)
        left, right = st.columns(2)
        left.button(t("Back"), key="guided_back", on_click=guided_step, args=(max(step - 1, 0),), disabled=step == 0)
        right.button(t("Next question"), key="guided_next", on_click=guided_step, args=(step + 1,), type="primary")
        return
    st.subheader(t("Here is what we have drawn together"))
    for sentence in read_back(m, t=t):
        st.markdown(f"- {plain(sentence)}")
    st.write(t("Is this right? Is anything missing?"))
    left, right = st.columns(2)
    left.button(t("Yes, that's right"), key="guided_confirm", type="primary", on_click=set_guided, args=(False,))
    right.button(t("Something to change"), key="guided_change", on_click=set_guided, args=(False,))


def ties_table(t: Translator, m: EcoMap) -> list[dict[str, str]]:
    """The ties as rows, in words: the plain view of the map."""

    def label(table: dict[str, Any], value: str | None) -> str:
        return t(table[value].label) if value else ""

    return [
        {
            t("Name"): tie.name,
            t("Role"): tie.role,
            t("Ring"): label(SECTORS, tie.sector),
            t("Strength"): label(STRENGTHS, tie.strength),
            t("Stressful"): t("Yes") if tie.stressful else "",
            t("Support flows"): label(FLOWS, tie.flow),
            t("Support"): ", ".join(t(SUPPORTS[s].label) for s in tie.support),
            t("Contact"): label(FREQUENCIES, tie.frequency),
            t("Status"): label(STATUSES, tie.status),
            t("In their own words"): tie.own_words,
        }
        for tie in m.ties
    ]


def show_notice(t: Translator) -> None:
    held = st.session_state.pop(editing.NOTICE_KEY, None)
    if not held:
        return
    kind, text = held
    if kind == "conflict":
        st.warning(
            t(
                "Someone else saved this map while you were working. The newest version is shown now; "
                "please make your last change again."
            ),
            icon=":material/sync_problem:",
        )
    else:
        st.error(plain(text), icon=":material/error:")


# -- the page -----------------------------------------------------------------------------------

map_id = st.query_params.get("map", "")
held = editing.opened(map_id) if map_id else None
if held is None:
    st.info(t("Choose a person to open their map."))
    st.page_link(PEOPLE_PAGE, label=t("People"), icon=":material/groups:")
    st.stop()

calm = st.session_state.get(CALM_KEY, False)
guided = st.session_state.get(GUIDED_KEY, False)
if calm:
    st.html(CALM_CSS)
else:
    top = st.container(horizontal=True, vertical_alignment="center", key="toolbar")
    top.page_link(PEOPLE_PAGE, label=t("All people"), icon=":material/arrow_back:")
    top.subheader(plain(held.map.person.called), anchor=False)
    top.button(t("Undo"), key="undo", icon=":material/undo:", on_click=editing.undo, disabled=not editing.can_undo())
    top.button(
        t("Guided conversation") if not guided else t("Free drawing"),
        key="guided_toggle",
        icon=":material/forum:",
        on_click=set_guided,
        args=(not guided,),
    )
    top.page_link(
        HISTORY_PAGE,
        label=t("Versions"),
        icon=":material/history:",
        query_params={"map": held.map.id},
        help=t("Name versions, compare any two, restore an old one"),
    )
    top.page_link(
        SHARE_PAGE,
        label=t("Share and attach"),
        icon=":material/ios_share:",
        query_params={"map": held.map.id},
        help=t("The assessment attachment (PDF or Word), pictures and data files"),
    )
show_notice(t)

held = editing.current()
m, v = held.map, held.version
e = editing.form_epoch()
selected = st.session_state.get(editing.SELECTED_KEY)
if selected not in {tie.id for tie in m.ties}:
    selected = None
pending = st.session_state.get(editing.ADD_AT_KEY)
show_findings = st.session_state.get(FINDINGS_KEY, False)
found = findings(m, t=t) if show_findings else []
data = vis_data(
    m,
    t=t,
    selected=selected,
    link_from=st.session_state.get(editing.LINK_FROM_KEY),
    highlight=found,
    spots=editing.spots(m),
)
data.update(
    version=v,
    heightShare=0.86 if calm else 0.72,
    description=summary_line(m, t=t),
    pending=None,
)
if selected and not guided and not st.session_state.get(editing.LINK_FROM_KEY):
    data["quick"] = quick_edits(m, selected, t=t)
if pending:
    x, y = to_xy(pending["angle"], pending["distance"])
    data["pending"] = {"x": x * data["radius"], "y": y * data["radius"]}

with st.container(key="workspace"):
    if calm:
        ecomap_map(data, on_tapped=on_tapped, on_moved=on_moved, on_add_at=on_add_at, on_quick=on_quick)
        st.toggle(t("Calm view: only the map, for drawing together"), key=CALM_KEY)
    else:
        map_column, tools = st.columns([2, 1])
        with map_column:
            ecomap_map(data, on_tapped=on_tapped, on_moved=on_moved, on_add_at=on_add_at, on_quick=on_quick)
            st.toggle(t("Calm view: only the map, for drawing together"), key=CALM_KEY)
            st.toggle(t("Show what is strong and what to explore"), key=FINDINGS_KEY)
            st.html(legend_html(t))
            # A switch, not an expander: the rows are built and sent only while someone reads them.
            if m.ties and st.toggle(t("Everyone on the map, as a table"), key=TABLE_KEY):
                st.dataframe(ties_table(t, m), hide_index=True, key="ties_table")
        with tools:
            if guided:
                guided_panel(t, m)
            elif pending:
                add_panel(t, pending)
            elif selected and selected != PERSON:
                tie_editor(t, m, selected, e, v)
            elif show_findings:
                findings_panel(t, m, e, found)
            else:
                quick_add(t)
                person_panel(t, m, e)
