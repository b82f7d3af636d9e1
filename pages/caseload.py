"""Across the caseload: patterns in the current maps of the teams a lead leads, counted without opening
any of them. Every count under 5 is shown as "fewer than 5" (:func:`ecomap.caseload.count_text`)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ecomap.caseload import FEWEST_SHOWN, PATTERNS, Caseload, count_text, suppressed
from ecomap.errors import AccessDenied
from ecomap.i18n import Translator
from ecomap.vocab import SECTORS
from ui.common import current_user, page_setup, store


def pattern_table(t: Translator, load: Caseload, kind: str) -> pd.DataFrame:
    """One row a pattern of ``kind``: what it is, how many people's maps show it (or "fewer than 5"),
    and what share that is (left empty where the count is not shown)."""
    return pd.DataFrame(
        [
            {
                t("Pattern"): t(p.label),
                t("People"): count_text(load.counts[p.id], t),
                t("Share"): load.shown_share(p.id),
            }
            for p in PATTERNS.values()
            if p.kind == kind
        ]
    )


def ring_table(t: Translator, load: Caseload) -> tuple[pd.DataFrame, list[str]]:
    """The share of current ties in each ring, in percent, for the chart, and the rings left out of it
    because they hold fewer than 5 ties."""
    shown = [sector for sector in SECTORS if not suppressed(load.by_sector[sector])]
    frame = pd.DataFrame(
        {
            t("Ring"): [t(SECTORS[sector].label) for sector in shown],
            t("Share of ties (%)"): [round(100 * load.sector_share(sector)) for sector in shown],
        }
    )
    return frame, [t(SECTORS[sector].label) for sector in SECTORS if sector not in shown]


t = page_setup()
st.title(t("Across the caseload"))
st.caption(
    t(
        "Counts from the current maps of the teams you lead. No one's map is opened to make them and no "
        "names are shown: a starting point for supervision and planning, not a judgement about anyone."
    )
)

try:
    load = store().caseload(current_user())
except AccessDenied:
    st.info(t("The caseload is for team leads: it counts the maps of the teams they lead."))
    st.stop()
if not load.people:
    st.info(t("Nobody is here yet. The caseload fills in as maps are drawn."))
    st.stop()

# The figures take their own width and wrap onto another line, so that no label or value is cut short.
figures = st.container(horizontal=True, gap="large", key="caseload_figures")
figures.metric(t("People with a map"), count_text(load.people, t), width="content")
figures.metric(
    t("Maps changed since their last named review"),
    count_text(load.changed_since_named, t),
    help=t("A version's name marks a review, such as “three-month review”: name one on the map's Versions page."),
    width="content",
)
figures.metric(t("Maps with no named review yet"), count_text(load.never_named, t), width="content")
st.caption(t("Every count under {n} is shown as “fewer than {n}”, so that no one can be picked out.", n=FEWEST_SHOWN))
if suppressed(load.people):
    st.info(t("The averages and the rings are shown once {n} or more people have a map.", n=FEWEST_SHOWN))
    st.stop()

averages = st.container(horizontal=True, gap="large", key="caseload_averages")
averages.metric(t("Ties on a map, on average"), f"{load.mean_ties:.1f}", width="content")
averages.metric(t("Ties on a map, the median"), f"{load.median_ties:g}", width="content")

st.header(t("Share of current ties in each ring"), anchor=False)
rings, left_out = ring_table(t, load)
if not rings.empty:
    st.bar_chart(
        rings,
        x=t("Ring"),
        y=t("Share of ties (%)"),
        sort=False,
        horizontal=True,
        height=220,
        alt=t("A bar chart of the share of current ties in each ring"),
    )
if left_out:
    st.caption(t("Left out of the chart, with fewer than {n} ties: {rings}.", n=FEWEST_SHOWN, rings=tuple(left_out)))

share_column = st.column_config.ProgressColumn(t("Share"), format="percent", min_value=0.0, max_value=1.0)
for kind, heading in (("asset", t("What is strong")), ("gap", t("Areas to explore together"))):
    st.header(heading, anchor=False)
    st.dataframe(
        pattern_table(t, load, kind),
        hide_index=True,
        column_config={t("Share"): share_column},
        key=f"caseload_{kind}",
        width="stretch",
    )
