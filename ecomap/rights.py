"""People's rights: everything held about one person as one ZIP, and the audit as a spreadsheet.

A subject access request is answered with one ZIP (:func:`subject_access_zip`, the one builder the
command line's ``subject-access`` and the admin page's button use), made from what the store reads
out for it (:meth:`ecomap.store.Store.subject_access`):

- ``README.txt``: each file named, with what it holds, in English and in Welsh;
- ``versions/v001.json`` ...: every saved version of the map, in Ecomap's map format;
- ``versions.csv``: when each version was saved, by whom, its name and what a restore brought back;
- ``ties.csv``: the ties of the current map, one row each (the CSV export);
- ``audit.csv``: every audit entry about the person (who did what to the record, and when);
- ``attachment.pdf``: the assessment attachment of the current map, in the person's language.

Every cell of a CSV that a spreadsheet would run as a formula is neutralised
(:func:`ecomap.io.csv_format.neutralise`). The audit's spreadsheet (:func:`audit_csv`) is the same
for the command line's ``audit --csv`` and the ZIP, but the ZIP leaves out the staff's e-mail
addresses: the person is told who acted on their record, by name, not how to write to them.

pandas is imported only when a CSV is made.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ecomap.i18n import LANGUAGES, Translator, files_language, translator
from ecomap.io.csv_format import neutralise
from ecomap.report import ReportContext, attachment
from ecomap.store import AuditEntry, SubjectAccess
from ecomap.versions import SavedVersion
from ecomap.vocab import N_

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "AUDIT_COLUMNS",
    "README_NAME",
    "VERSIONS_COLUMNS",
    "audit_csv",
    "audit_frame",
    "subject_access_zip",
    "version_file",
]

#: The columns of the audit's spreadsheet, in order (``user_email`` is left out of a subject access).
AUDIT_COLUMNS = (
    "at",
    "action",
    "ok",
    "user_id",
    "user_name",
    "user_email",
    "person_id",
    "map_id",
    "version",
    "from_version",
    "detail",
)
#: The columns of ``versions.csv`` in a subject access.
VERSIONS_COLUMNS = ("version", "saved_at", "saved_by", "saved_by_name", "label", "restored_from")
#: The name of the file inside the ZIP that names every other one.
README_NAME = "README.txt"


def _moment(at: datetime) -> str:
    """A moment as the spreadsheets write it: ISO 8601 in UTC, to the second."""
    return at.astimezone(UTC).replace(microsecond=0).isoformat()


def _csv(frame: pd.DataFrame) -> bytes:
    """A table as CSV in UTF-8, every cell as text and none that a spreadsheet would run as a formula."""
    cells = frame.astype("string").fillna("").map(neutralise)
    return cells.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def audit_frame(entries: Sequence[AuditEntry], *, emails: bool = True) -> pd.DataFrame:
    """The audit entries as a table of :data:`AUDIT_COLUMNS` (without ``user_email`` unless ``emails``),
    one row an entry in the order given; times in UTC."""
    import pandas as pd

    columns = [c for c in AUDIT_COLUMNS if emails or c != "user_email"]
    rows = [
        {
            "at": _moment(e.at),
            "action": str(e.action),
            "ok": "yes" if e.ok else "no",
            "user_id": e.user_id,
            "user_name": e.user_name or "",
            "user_email": e.user_email or "",
            "person_id": e.person_id or "",
            "map_id": e.map_id or "",
            "version": "" if e.version is None else str(e.version),
            "from_version": "" if e.from_version is None else str(e.from_version),
            "detail": e.detail or "",
        }
        for e in entries
    ]
    return pd.DataFrame(rows, columns=columns)


def audit_csv(entries: Sequence[AuditEntry], *, emails: bool = True) -> bytes:
    """The audit entries as CSV (:func:`audit_frame`), formulas neutralised.

    >>> from ecomap.store import AuditAction
    >>> entry = AuditEntry(datetime(2026, 12, 1, 9, 30, tzinfo=UTC), "local", AuditAction.EXPORT, "p1", "m1", 2,
    ...                    True, detail="=HYPERLINK()")
    >>> print(audit_csv([entry], emails=False).decode().splitlines()[1])
    2026-12-01T09:30:00+00:00,export,yes,local,,p1,m1,2,,'=HYPERLINK()
    """
    return _csv(audit_frame(entries, emails=emails))


def _versions_csv(versions: Sequence[SavedVersion]) -> bytes:
    import pandas as pd

    rows = [
        {
            "version": str(v.version),
            "saved_at": _moment(v.saved_at),
            "saved_by": v.saved_by,
            "saved_by_name": v.saved_by_name,
            "label": v.label,
            "restored_from": "" if v.restored_from is None else str(v.restored_from),
        }
        for v in versions
    ]
    return _csv(pd.DataFrame(rows, columns=list(VERSIONS_COLUMNS)))


def version_file(version: int, newest: int) -> str:
    """The name of one version's map file in the ZIP, numbered so that they sort in order.

    >>> version_file(3, 12), version_file(7, 1204)
    ('versions/v003.json', 'versions/v0007.json')
    """
    return f"versions/v{version:0{max(3, len(str(newest)))}d}.json"


#: The README's line for the attachment, by the attachment's language.
_ATTACHMENT_IN = {
    "en": N_("the assessment attachment of the current map (version {version}), in English."),
    "cy": N_("the assessment attachment of the current map (version {version}), in Welsh."),
}


def _readme(held: SubjectAccess, made_at: datetime, language: str) -> str:
    """What the ZIP holds, file by file, in English then in Welsh."""
    newest = max(held.documents)
    parts = []
    for code in LANGUAGES:
        t: Translator = translator(code)
        lines = [
            t("Everything Ecomap holds about one person, for a subject access request."),
            t("Made on {when} (UTC). The person's record: {person}.", when=_moment(made_at), person=held.person_id),
            "",
            f"{README_NAME}: " + t("this file."),
            "attachment.pdf: " + t(_ATTACHMENT_IN[language], version=newest),
            "ties.csv: " + t("the ties of the current map, one row each, for a spreadsheet."),
            f"{version_file(1, newest)} … {version_file(newest, newest)}: "
            + t(
                "every saved version of the map ({count} in all), each as a map file in Ecomap's format (JSON).",
                count=len(held.documents),
            ),
            "versions.csv: "
            + t("when each version was saved and by whom, any name it was given, and what a restore brought back."),
            "audit.csv: "
            + t(
                "every entry of the audit about this person: who opened, saved, exported or otherwise used "
                "the record, and when (in UTC). The audit never holds what the map says."
            ),
            "",
            t("A spreadsheet cell that begins with = + - or @ has an apostrophe before it, so that it is never run."),
        ]
        parts.append("\n".join(lines))
    return "\n\n----\n\n".join(parts) + "\n"


def subject_access_zip(held: SubjectAccess, *, made_at: datetime | None = None) -> bytes:
    """Everything held about one person (what :meth:`ecomap.store.Store.subject_access` read out) as one
    ZIP, its files as this module's docstring lists them.

    The attachment and the README's first words are in the person's language when it is recorded
    (English otherwise); the README says everything in English and in Welsh.
    """
    from ecomap.io import csv_format

    made_at = made_at or datetime.now(UTC)
    current = held.map()
    newest = max(held.documents)
    language = files_language(current.person.language)
    context = ReportContext(
        version=newest,
        saved_at=held.versions[-1].saved_at if held.versions else None,
        history=tuple(held.versions),
    )
    stamp = made_at.astimezone(UTC).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def put(name: str, data: bytes) -> None:
            member = zipfile.ZipInfo(name, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16  # readable by its owner only, once unpacked
            archive.writestr(member, data)

        put(README_NAME, _readme(held, made_at, language).encode("utf-8"))
        put("attachment.pdf", attachment(current, "pdf", t=translator(language), context=context))
        put("ties.csv", csv_format.as_bytes(current))
        for version in sorted(held.documents):
            document = json.loads(held.documents[version])
            text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
            put(version_file(version, newest), text.encode("utf-8"))
        put("versions.csv", _versions_csv(held.versions))
        put("audit.csv", audit_csv(held.audit, emails=False))
    return buffer.getvalue()
