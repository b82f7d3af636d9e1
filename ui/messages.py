"""How problems with what someone typed are shown (plainly, with where and what), and gentler suggestions."""

from __future__ import annotations

import streamlit as st

from ecomap.errors import Problem
from ecomap.i18n import Translator
from ecomap.wording import Suggestion
from ui.common import plain


def describe(t: Translator, problem: Problem) -> str:
    """A problem in words a practitioner reads: a name field is called "The name"."""
    if problem.where == "name" or problem.where.endswith(".name"):
        return t("The name") + f": {problem.message}"
    return str(problem)


def show_problems(t: Translator, problems: list[Problem]) -> None:
    """One error box listing each problem (shown literally, never as Markdown or HTML)."""
    st.error("\n\n".join(plain(describe(t, p)) for p in problems), icon=":material/error:")


def show_suggestions(t: Translator, suggestions: list[Suggestion]) -> None:
    """The gentle language check's suggestions, one caption each."""
    for suggestion in suggestions:
        text = t(
            "You might say “{alternative}” instead of “{phrase}”: {why}",
            alternative=suggestion.alternative,
            phrase=suggestion.phrase,
            why=suggestion.why_in(t.language),
        )
        st.caption(plain(text))
