"""What is strong and what to explore, beside the map: a finding about a tie shows it on the map."""

from __future__ import annotations

import streamlit as st

from ecomap.analysis import Finding
from ecomap.i18n import Translator
from ecomap.model import EcoMap
from ecomap.wording import check_map
from ui import editing
from ui.common import plain
from ui.messages import show_suggestions
from ui.plan import plan_panel

SHOW_KEY = "show_findings"


def is_on() -> bool:
    return bool(st.session_state.get(SHOW_KEY, False))


def findings_panel(t: Translator, m: EcoMap, epoch: int, found: list[Finding]) -> None:
    """Assets first, then areas to explore; then the plan and the words to think about."""
    for kind, heading in (("asset", t("What is strong")), ("gap", t("Areas to explore together"))):
        st.subheader(heading, anchor=False)
        for i, finding in enumerate(f for f in found if f.kind == kind):
            if finding.tie:
                st.button(
                    plain(finding.text),
                    key=f"finding_{kind}_{i}",
                    on_click=editing.select,
                    args=(finding.tie,),
                    kwargs={"back_to": f"finding_{kind}_{i}"},  # the focus comes back here when the editor closes
                    icon=":material/star:" if kind == "asset" else ":material/explore:",
                    width="stretch",
                    wrap=True,
                )
            else:
                st.markdown(f"- {plain(finding.text)}")
    plan_panel(t, m, epoch)
    suggestions = check_map(m)
    if suggestions:
        st.subheader(t("Words to think about"), anchor=False)
        show_suggestions(t, suggestions)
