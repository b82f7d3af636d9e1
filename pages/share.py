"""Share and attach: the map as an assessment attachment, pictures and data files.

The person's consent is shown first; when it does not cover sharing (``Consent.covers_sharing``),
no file is made until a reason is given, and the reason goes into the audit with each file.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from ecomap.access import REASON_MAX, clean_reason
from ecomap.diff import diff, summary
from ecomap.errors import NotFound
from ecomap.exports import EXPORTS, export, file_name
from ecomap.i18n import LANGUAGES, files_language, translator
from ecomap.model import EcoMap
from ecomap.report import ReportContext, consent_facts
from ecomap.store import LOCAL_USER, Store, User
from ui.common import MAP_PAGE, PEOPLE_PAGE, current_user, describe_version, page_setup, plain, store, with_language

PSEUDONYMISE_KEY = "share_pseudonymise"
SINCE_KEY = "share_since"
LANGUAGE_KEY = "share_language"
REASON_KEY = "share_reason"


def _make(
    the_store: Store,
    user: User,
    m: EcoMap,
    version: int,
    suffix: str,
    language: str,
    pseudonymise: bool,
    context: ReportContext,
    reason: str | None,
) -> bytes:
    """The file, made when its button is pressed; the export is audited then, with the reason given for
    one the person's consent does not cover."""
    data = export(m, suffix, t=translator(language), pseudonymise=pseudonymise, context=context)
    the_store.record_export(user, m.id, version, suffix.lstrip("."), reason=reason)
    return data


def _reason(text: str) -> str | None:
    """The reason as the audit keeps it, or None when none is given."""
    try:
        return clean_reason(text)
    except ValueError:
        return None


t = page_setup()
user = current_user()
map_id = st.query_params.get("map", "")
try:
    opened = store().open(user, map_id) if map_id else None
except NotFound:
    opened = None
if opened is None:
    st.info(t("Choose a person to share their map."))
    st.page_link(PEOPLE_PAGE, label=t("People"), icon=":material/groups:", query_params=with_language())
    st.stop()

m, version = opened.map, opened.version
top = st.container(horizontal=True, vertical_alignment="center")
top.page_link(
    MAP_PAGE, label=t("Back to the map"), icon=":material/arrow_back:", query_params=with_language({"map": m.id})
)
top.subheader(t("Share {name}’s map", name=plain(m.person.called)), anchor=False)

consent = st.container(border=True, key="share_consent")
for label, value in consent_facts(m, t=t):
    consent.markdown(f"**{plain(label)}:** {plain(value)}")
covered = m.record.consent is not None and m.record.consent.covers_sharing
reason: str | None = None
if not covered:
    consent.warning(
        t(
            "The consent recorded does not cover sharing {name}’s map. Say why a file is made here: "
            "the reason is kept in the audit with each file.",
            name=plain(m.person.called),
        ),
        icon=":material/privacy_tip:",
    )
    reason = _reason(
        consent.text_input(
            t("Why is it being shared?"),
            key=REASON_KEY,
            max_chars=REASON_MAX,
            placeholder=t("For example: a safeguarding referral, or a court order"),
            help=t("Consent is recorded under For the record, beside the map."),
        )
    )

history = store().versions(user, m.id)
by_number = {info.version: info for info in history}
options = st.container(horizontal=True)
pseudonymise = options.toggle(
    t("Take names out (for supervision, training or research)"),
    key=PSEUDONYMISE_KEY,
    help=t("Names become roles or initials in every file, and notes are left out. Read it through before sharing."),
)
language = options.segmented_control(
    t("Language of the files"),
    options=list(LANGUAGES),
    format_func=LANGUAGES.__getitem__,
    # The person's own language when it is recorded, else the page's.
    default=files_language(m.person.language, t.language),
    key=LANGUAGE_KEY,
) or files_language(m.person.language, t.language)

earlier = [info for info in reversed(history) if info.version != version]
since = st.selectbox(
    t("In the attachment, say what has changed since"),
    options=[None, *(info.version for info in earlier)],
    format_func=lambda v: t("(no comparison)") if v is None else describe_version(by_number[v], t),
    placeholder=t("Choose a version"),
    key=SINCE_KEY,
)
changes: tuple[str, ...] = ()
if since is not None:
    in_files = translator(language)  # the files' language, which may differ from the page's
    old = store().open(user, m.id, version=since).map
    changes = tuple(summary(diff(old, m, t=in_files), old, m, t=in_files))
context = ReportContext(
    # The local mode's user is a stand-in, not a person's name: the attachment names only a signed-in practitioner.
    prepared_by=None if user == LOCAL_USER else user.display_name,
    version=version,
    saved_at=history[-1].saved_at,
    history=tuple(history),
    changes=changes,
    changes_since=by_number[since] if since is not None else None,
)

st.caption(t("Version {version} of the map. Every file made here is recorded in the audit.", version=version))
for group, suffixes in (
    (t("For the assessment"), (".pdf", ".docx")),
    (t("Pictures"), (".png", ".svg", ".html")),
    (t("Data"), (".json", ".csv", ".graphml")),
):
    st.markdown(f"**{group}**")
    row = st.container(horizontal=True)
    for suffix in suffixes:
        fmt = EXPORTS[suffix]
        row.download_button(
            t(fmt.label),
            data=partial(_make, store(), user, m, version, suffix, language, pseudonymise, context, reason),
            file_name=file_name(m, suffix, pseudonymised=pseudonymise),
            mime=fmt.mime,
            key=f"export{suffix}",
            icon=":material/download:",
            on_click="ignore",
            help=t(fmt.help),
            disabled=not covered and reason is None,
        )
