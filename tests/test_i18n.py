"""Every label in every language, and a catalog chosen per caller."""

from __future__ import annotations

import re

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from ecomap.analysis import FINDING_TYPES
from ecomap.conversation import PROMPTS
from ecomap.i18n import LANGUAGES, locales_dir, translator
from ecomap.vocab import ROLES, VOCABULARIES


def all_labels() -> list[str]:
    labels = [term.label for table in VOCABULARIES.values() for term in table.values()]
    labels += [term.description for table in VOCABULARIES.values() for term in table.values() if term.description]
    labels += [role.label for role in ROLES.values()]
    labels += [text for prompt in PROMPTS for text in (prompt.question, prompt.hint, prompt.affirmation)]
    labels += [finding.sentence for finding in FINDING_TYPES.values()]
    return labels


def catalog(language: str) -> Catalog:
    with (locales_dir() / language / "LC_MESSAGES" / "ecomap.po").open("rb") as po:
        return read_po(po)


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_every_vocabulary_label_is_translated(language: str) -> None:
    messages = catalog(language)
    missing = [label for label in all_labels() if not (messages.get(label) and messages.get(label).string)]
    assert missing == []


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_translations_keep_their_placeholders(language: str) -> None:
    def placeholders(text: str) -> list[str]:
        return sorted(re.findall(r"{\w+}", text))

    for message in catalog(language):
        if not (message.id and message.string):
            continue
        if message.pluralizable:
            assert all(placeholders(form) == placeholders(message.id[1]) for form in message.string)
        else:
            assert placeholders(str(message.id)) == placeholders(str(message.string))


def test_each_language_has_a_catalog() -> None:
    for code in LANGUAGES:
        if code != "en":
            assert (locales_dir() / code / "LC_MESSAGES" / "ecomap.po").is_file()


def test_two_sessions_in_two_languages_do_not_meet() -> None:
    welsh, english = translator("cy"), translator("en")
    assert welsh("Family") == "Teulu"
    assert english("Family") == "Family"
    assert welsh("Family") == "Teulu"


def test_placeholders_are_filled_after_translation() -> None:
    assert translator("en")("Version {version}", version=3) == "Version 3"


def test_an_unknown_language_falls_back_to_english() -> None:
    assert translator("xx").language == "en"


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_every_string_in_the_code_is_translated(language: str) -> None:
    """What the README's extraction command finds, the catalog translates: nothing falls back to English."""
    from pathlib import Path

    from babel.messages.extract import extract_from_dir

    root = Path(__file__).resolve().parent.parent
    keywords = {"N_": None, "t": None, "plural": (1, 2)}
    found = set()
    for folder in ("ecomap", "ui", "pages"):
        for _file, _line, message, _comments, _context in extract_from_dir(root / folder, keywords=keywords):
            found.add(message[0] if isinstance(message, tuple) else message)
    for _file, _line, message, _comments, _context in extract_from_dir(
        root, method_map=[("streamlit_app.py", "python")], keywords=keywords
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    messages = catalog(language)
    missing = sorted(m for m in found if m and not (messages.get(m) and messages.get(m).string))
    assert len(found) > 300
    assert missing == []
