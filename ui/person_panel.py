"""The person at the centre, beside the map: what matters to them and their strengths, in their words,
and what the record needs to file the map."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from ecomap.i18n import LANGUAGES, Translator
from ecomap.model import EcoMap
from ecomap.vocab import SHARING
from ui import editing
from ui.common import plain


def set_person_list(field: str, key: str) -> None:
    """Save one of the person's lists as the text area ``key`` holds it: one item a line."""
    lines = [line.strip() for line in str(st.session_state.get(key, "")).splitlines() if line.strip()]
    editing.apply(lambda m: m.with_person(**{field: lines}))


def person_panel(t: Translator, m: EcoMap, epoch: int) -> None:
    labels = {"what_matters": t("What matters to {name}", name=plain(m.person.called)), "strengths": t("Strengths")}
    for field, label in labels.items():
        key = f"{field}_{epoch}"
        st.text_area(
            label,
            value="\n".join(getattr(m.person, field)),
            key=key,
            placeholder=t("One on each line, in their words."),
            on_change=set_person_list,
            args=(field, key),
        )
    record_panel(t, m, epoch)


def set_record(field: str, key: str, *, lines: bool = False) -> None:
    """Save one field of what the record says as the widget ``key`` holds it (empty clears it)."""
    value: Any = st.session_state.get(key)
    if lines:
        value = [line.strip() for line in str(value or "").splitlines() if line.strip()]
    elif isinstance(value, str):
        value = value.strip()
    editing.apply(lambda m: m.with_record(**{field: value if value not in ("", None) else None}))


def set_person(field: str, key: str) -> None:
    value: Any = st.session_state.get(key)
    editing.apply(lambda m: m.with_person(**{field: value}))


_AGREED = {"yes": True, "not_yet": False}


def set_agreed(key: str) -> None:
    chosen = str(st.session_state.get(key) or "")
    editing.apply(lambda m: m.with_record(read_back_agreed=_AGREED.get(chosen)))


_CONSENTED = {"yes": True, "no": False}
#: The sharing choice that means "with nobody" (an empty ``share_with``), beside the vocabulary's.
_NOBODY = "nobody"


def _with_consent(m: EcoMap, **fields: Any) -> EcoMap:
    """``m`` with ``fields`` changed in the person's consent; a consent with nothing left in it is taken away."""
    consent = m.record.consent.model_dump(mode="json", exclude_none=True) if m.record.consent else {}
    consent = {k: v for k, v in {**consent, **fields}.items() if v is not None and v != ""}
    return m.with_record(consent=consent or None)


def set_consent_to_record(key: str) -> None:
    chosen = str(st.session_state.get(key) or "")
    editing.apply(lambda m: _with_consent(m, to_record=_CONSENTED.get(chosen)))


def set_sharing(key: str) -> None:
    """Save with whom the map may be shared: "Nobody" and the others exclude each other (the one chosen last stays)."""
    chosen = list(st.session_state.get(key) or [])
    before = editing.current().map.record.consent
    had_nobody = before is not None and before.share_with == ()
    others = [value for value in chosen if value != _NOBODY]
    nobody_now = _NOBODY in chosen and (not had_nobody or not others)
    share_with = [] if nobody_now else others or None
    st.session_state[key] = [_NOBODY] if nobody_now else others
    editing.apply(lambda m: _with_consent(m, share_with=share_with))


def set_sharing_also(key: str) -> None:
    value = str(st.session_state.get(key) or "").strip()
    editing.apply(lambda m: _with_consent(m, share_also_with=value or None))


def consent_controls(t: Translator, m: EcoMap, epoch: int) -> None:
    """The person's consent: to record the map, and with whom it may be shared (each left unanswered until asked)."""
    consent, called = m.record.consent, plain(m.person.called)
    key = f"consent_to_record_{epoch}"
    given = None if consent is None or consent.to_record is None else "yes" if consent.to_record else "no"
    st.segmented_control(
        t("Did {name} agree to the map being recorded?", name=called),
        list(_CONSENTED),
        format_func=lambda x: t("Yes") if x == "yes" else t("No"),
        default=given,
        key=key,
        on_change=set_consent_to_record,
        args=(key,),
        help=t("Tap the answer again to take it away: then it is not asked yet."),
    )
    key = f"consent_share_with_{epoch}"
    share_with = None if consent is None else consent.share_with
    st.pills(
        t("Who did {name} agree it may be shared with?", name=called),
        [*SHARING, _NOBODY],
        selection_mode="multi",
        format_func=lambda x: t("Nobody") if x == _NOBODY else t(SHARING[x].label),
        default=[_NOBODY] if share_with == () else list(share_with or ()),
        key=key,
        on_change=set_sharing,
        args=(key,),
    )
    key = f"consent_share_also_{epoch}"
    st.text_input(
        t("Anyone else, in their words"),
        value=consent.share_also_with if consent else "",
        key=key,
        max_chars=100,
        on_change=set_sharing_also,
        args=(key,),
    )


#: The expander of what the record needs (open or closed).
RECORD_KEY = "record_open"


def record_panel(t: Translator, m: EcoMap, epoch: int) -> None:
    """What the record needs to file the map, each field optional: filled in only by the practitioner."""
    record, person = m.record, m.person
    # Drawn only while open: its dates and age are two more kinds of element (their scripts, about
    # 250 KB) that every first map page would otherwise load before it draws (bench/README.md).
    with st.expander(t("For the record"), icon=":material/assignment:", key=RECORD_KEY, on_change="rerun") as shown:
        if not shown.open:
            return
        texts = {
            "case_reference": t("Case reference"),
            "practitioner": t("Practitioner"),
            "practitioner_role": t("Practitioner's role"),
            "agency": t("Agency"),
            "place": t("Where we talked"),
        }
        for field, label in texts.items():
            key = f"record_{field}_{epoch}"
            st.text_input(
                label, value=getattr(record, field), key=key, max_chars=100, on_change=set_record, args=(field, key)
            )
        key = f"record_present_{epoch}"
        st.text_area(
            t("Who was there"),
            value="\n".join(record.present),
            key=key,
            placeholder=t("One on each line."),
            on_change=set_record,
            args=("present", key),
            kwargs={"lines": True},
        )
        for field, label in (("met_on", t("When we talked")), ("review_on", t("Review by"))):
            key = f"record_{field}_{epoch}"
            st.date_input(
                label,
                value=getattr(record, field),
                key=key,
                format="DD/MM/YYYY",
                on_change=set_record,
                args=(field, key),
            )
        key = f"record_agreed_{epoch}"
        agreed = None if record.read_back_agreed is None else "yes" if record.read_back_agreed else "not_yet"
        st.segmented_control(
            t("Did {name} agree the read-back?", name=plain(person.called)),
            list(_AGREED),
            format_func=lambda x: t("Yes") if x == "yes" else t("Not yet"),
            default=agreed,
            key=key,
            on_change=set_agreed,
            args=(key,),
        )
        consent_controls(t, m, epoch)
        key = f"person_language_{epoch}"
        st.segmented_control(
            t("{name}’s language", name=plain(person.called)),
            list(LANGUAGES),
            format_func=LANGUAGES.__getitem__,
            default=person.language if person.language in LANGUAGES else None,
            key=key,
            on_change=set_person,
            args=("language", key),
            help=t("Their attachment and the files shared from their map are in it, unless another is chosen."),
        )
        key = f"person_date_of_birth_{epoch}"
        st.date_input(
            t("Date of birth"),
            value=person.date_of_birth,
            min_value=date(1900, 1, 1),
            max_value=date.today(),
            key=key,
            format="DD/MM/YYYY",
            on_change=set_person,
            args=("date_of_birth", key),
        )
        key = f"person_age_{epoch}"
        st.number_input(
            t("Or age"), value=person.age, min_value=0, max_value=130, step=1, key=key, on_change=set_person,
            args=("age", key),
        )  # fmt: skip
