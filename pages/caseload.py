"""Across the caseload: patterns in everyone's current map, counted without opening any of them."""

from __future__ import annotations

import streamlit as st

from ecomap.caseload import PATTERNS, Caseload
from ecomap.i18n import Translator
from ecomap.vocab import SECTORS
from ui.common import current_user, page_setup, store


def pattern_rows(t: Translator, load: Caseload, kind: str) -> list[dict[str, object]]:
    """One row a pattern: what it is, how many people's maps show it, and what share that is."""
    return [
        {t("Pattern"): t(p.label), t("People"): load.counts[p.id], t("Share"): load.share(p.id) or 0.0}
        for p in PATTERNS.values()
        if p.kind == kind
    ]


t = page_setup()
st.title(t("Across the caseload"))
st.caption(
    t(
        "Counts from everyone's current map. No one's map is opened to make them and no names are shown: "
        "a starting point for supervision and planning, not a judgement about anyone."
    )
)

load = store().caseload(current_user())
if not load.people:
    st.info(t("Nobody is here yet. The caseload fills in as maps are drawn."))
    st.stop()

people, ties = st.columns(2)
people.metric(t("People with a map"), load.people)
ties.metric(t("Ties on a map, on average"), f"{load.mean_ties:.1f}")
st.caption(t("Share of current ties in each ring"))
for column, sector in zip(st.columns(len(SECTORS)), SECTORS, strict=True):
    column.metric(t(SECTORS[sector].label), f"{load.sector_share(sector):.0%}")

share_column = st.column_config.ProgressColumn(t("Share"), format="percent", min_value=0.0, max_value=1.0)
for kind, heading in (("asset", t("What is strong")), ("gap", t("Areas to explore together"))):
    st.header(heading, anchor=False)
    st.dataframe(
        pattern_rows(t, load, kind),
        hide_index=True,
        column_config={t("Share"): share_column},
        key=f"caseload_{kind}",
        width="stretch",
    )
