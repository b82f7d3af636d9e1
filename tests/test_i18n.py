"""Every label in every language, and a catalog chosen per caller."""

from __future__ import annotations

import re

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from ecomap.analysis import FINDING_TYPES
from ecomap.conversation import PROMPTS
from ecomap.i18n import BEFORE_A_VOWEL, LANGUAGES, MUTATIONS, locales_dir, translator
from ecomap.vocab import ROLES, VOCABULARIES

#: The forms a translation may ask a value in: a mutation (``{ring:soft}``) or a word before it (``{name:â}``).
FORMS = set(MUTATIONS) | set(BEFORE_A_VOWEL)


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
        return sorted(re.findall(r"{(\w+)(?::[^}]*)?}", text))

    def forms(text: str) -> list[str]:
        return re.findall(r"{\w+:([^}]*)}", text)

    for message in catalog(language):
        if not message.id or not (all(tuple(message.string or ())) if message.pluralizable else message.string):
            continue  # not translated yet: the test of every string finds it
        if message.pluralizable:
            translated = tuple(message.string or ())
            assert all(placeholders(form) == placeholders(message.id[1]) for form in translated)
            assert all(set(forms(form)) <= FORMS for form in translated), message.id
        else:
            assert placeholders(str(message.id)) == placeholders(str(message.string))
            assert set(forms(str(message.string))) <= FORMS, message.id


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


def test_no_message_is_written_inside_an_f_string() -> None:
    """Babel's extractor does not see ``t("...")`` inside an f-string: such a message is never offered
    for translation (the legend's arrowhead line was English in Welsh), so each is written outside."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    found = []
    for path in [*sorted(root.glob("ecomap/**/*.py")), *sorted(root.glob("ui/*.py")), *sorted(root.glob("pages/*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for call in ast.walk(node):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Name | ast.Attribute)
                    and (call.func.id if isinstance(call.func, ast.Name) else call.func.attr) in ("t", "N_", "plural")
                    and call.args
                    and isinstance(call.args[0], ast.Constant)
                ):
                    found.append(f"{path.relative_to(root)}:{call.lineno}")
    assert found == []
