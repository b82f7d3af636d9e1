"""Welsh of equal quality: every kind of sentence Ecomap builds from parts, in English and in Welsh.

:data:`SENTENCES` is the review list: each row is one sentence as a function of the reader's
translator, with the English and the Welsh it must read as, checked line by line. The same table is
in ``docs/welsh.md`` for a Welsh speaker to read through (a test holds the two equal). Mutations
("Ychwanegu at Wasanaethau"), â/ag and a/ac ("ag Elin", "Mam ac Alys"), agreement ("o’r gymuned")
and numbers with nouns (the noun singular after a number, mutated after 2, 3 and 6: "2 gysylltiad",
"3 phâr") are each covered; so are the roles of a map drawn in English read in Welsh, the Welsh
phrase list of the gentle language check, and the language kept in the URL and across pages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ecomap.analysis import findings
from ecomap.caseload import PATTERNS, count_text
from ecomap.conversation import measures_in_words, read_back, summary_line, support_words, tie_rows
from ecomap.diff import diff, summary
from ecomap.i18n import Translator, files_language, joined, mutate, preferred_language, translator
from ecomap.model import EcoMap
from ecomap.vocab import ROLES, SECTORS, role_key, role_label
from ecomap.wording import check

ROOT = Path(__file__).resolve().parent.parent
REVIEW_LIST = ROOT / "docs" / "welsh.md"


def person_map(*ties: dict[str, Any], links: tuple[tuple[str, str], ...] = (), **person: Any) -> EcoMap:
    """A map of Alys with ``ties`` (each a tie's fields; ids t1, t2... in order)."""
    return EcoMap.from_dict(
        {
            "schema_version": 2,
            "id": "m-welsh",
            "person": {"name": "Alys Pritchard", "preferred_name": "Alys", **person},
            "ties": [{"id": f"t{i}", **tie} for i, tie in enumerate(ties, start=1)],
            "links": [{"between": list(pair)} for pair in links],
        }
    )


MAM = {"name": "Mam", "role": "mother", "sector": "family", "strength": "strong", "frequency": "daily",
       "support": {"emotional": "both"}}  # fmt: skip
ELIN = {"name": "Elin", "role": "friend", "sector": "community", "strength": "strong", "support": {"social": "both"}}
IFAN = {"name": "Ifan", "role": "sibling", "sector": "family", "support": {"practical": "gives"}}
GP = {"name": "Meddygfa", "role": "gp", "sector": "services", "stressful": True, "support": {"information": "gets"}}


def finding(m: EcoMap, kind: str, t: Translator, nth: int = 0) -> str:
    return [f.text for f in findings(m, t=t) if f.id == kind][nth]


def measure(m: EcoMap, key: str, t: Translator) -> str:
    return measures_in_words(m, t=t)[key]


def changed(old: EcoMap, new: EcoMap, t: Translator, nth: int = 0) -> str:
    return summary(diff(old, new, t=t), old, new, t=t)[nth]


def ring_button(sector: str, t: Translator) -> str:
    """The "Add to <ring>" heading of the add panel (ui/adding.py), as it is built there."""
    return t("Add to {ring}", ring=t(SECTORS[sector].label))


def ties_of(n: int) -> EcoMap:
    return person_map(*({"name": f"Ffrind {i}", "sector": "community"} for i in range(n)))


def chain(n: int) -> EcoMap:
    """``n + 1`` ties in a row, each linked to the next: ``n`` pairs that know each other."""
    ties = [{"name": f"Ffrind {i}", "sector": "community"} for i in range(n + 1)]
    return person_map(*ties, links=tuple((f"t{i}", f"t{i + 1}") for i in range(1, n + 1)))


def visits_said(n: int, t: Translator) -> str:
    return t.plural("{n} change", "{n} changes", n)


@dataclass(frozen=True)
class Sentence:
    """One built sentence: what kind it is, how it is built, and how it must read in each language."""

    kind: str
    build: Callable[[Translator], str]
    english: str
    welsh: str


WITH_MAM = person_map(MAM)
FOUR = person_map(MAM, ELIN, IFAN, GP, links=(("t1", "t3"),))
BEFORE = person_map(MAM, IFAN, GP)
AFTER = person_map(
    {**MAM, "strength": "moderate"},
    {**IFAN, "sector": "community", "support": {"practical": "gives", "social": "gets", "emotional": "gets"},
     "frequency": "weekly"},
    {**ELIN, "id": "t9"},
    links=(("t1", "t9"),),
)  # fmt: skip

#: The review list: every kind of sentence built from parts, in both languages.
SENTENCES: tuple[Sentence, ...] = (
    # Findings: â/ag and a/ac before a name, a sector or a kind of support put into a sentence.
    Sentence("finding", lambda t: finding(WITH_MAM, "strong-tie", t),
             "Alys has a strong tie with Mam.", "Mae gan Alys gysylltiad cryf â Mam."),
    Sentence("finding", lambda t: finding(FOUR, "strong-tie", t, 1),
             "Alys has a strong tie with Elin.", "Mae gan Alys gysylltiad cryf ag Elin."),
    Sentence("finding", lambda t: finding(WITH_MAM, "mutual-support", t),
             "Mam and Alys support each other every day.", "Mae Mam ac Alys yn cefnogi ei gilydd bob dydd."),
    Sentence("finding", lambda t: finding(FOUR, "community-connection", t),
             "Alys is connected to Elin in the community.", "Mae Alys wedi’i gysylltu ag Elin yn y gymuned."),
    Sentence("finding", lambda t: finding(WITH_MAM, "empty-sector", t),
             "No community connections are on the map yet: a place to explore together.",
             "Does dim cysylltiadau cymuned ar y map eto: lle i'w archwilio gyda'n gilydd."),
    Sentence("finding", lambda t: finding(person_map(GP), "empty-sector", t),
             "No family connections are on the map yet: a place to explore together.",
             "Does dim cysylltiadau teulu ar y map eto: lle i'w archwilio gyda'n gilydd."),
    Sentence("finding", lambda t: finding(FOUR, "stressful-tie", t),
             "The tie with Meddygfa can be stressful: worth talking about what would help.",
             "Gall y cysylltiad â Meddygfa achosi straen: mae’n werth siarad am beth fyddai’n helpu."),
    Sentence("finding", lambda t: finding(person_map({**ELIN, "stressful": True}), "stressful-tie", t),
             "The tie with Elin can be stressful: worth talking about what would help.",
             "Gall y cysylltiad ag Elin achosi straen: mae’n werth siarad am beth fyddai’n helpu."),
    Sentence("finding", lambda t: finding(FOUR, "one-way-giving", t),
             "Alys gives a lot to Ifan: who is there for Alys in return?",
             "Mae Alys yn rhoi llawer i Ifan: pwy sydd yno i Alys yn gyfnewid?"),
    Sentence("finding", lambda t: finding(WITH_MAM, "support-missing", t),
             "No one on the map gives practical support yet: somewhere to explore together.",
             "Does neb ar y map yn rhoi cymorth ymarferol eto: rhywle i'w archwilio gyda'n gilydd."),
    Sentence("finding", lambda t: finding(WITH_MAM, "support-missing", t, 2),
             "No one on the map gives social support yet: somewhere to explore together.",
             "Does neb ar y map yn rhoi cymorth cymdeithasol eto: rhywle i'w archwilio gyda'n gilydd."),
    Sentence("finding", lambda t: finding(WITH_MAM, "few-ties", t),
             "There are fewer than 3 people or places on the map so far: who else is part of Alys’s life?",
             "Mae llai na 3 o bobl neu lefydd ar y map hyd yma: pwy arall sy'n rhan o fywyd Alys?"),
    Sentence("finding", lambda t: finding(WITH_MAM, "single-strong-tie", t),
             "Mam is Alys’s one strong tie: who else could share some of that support?",
             "Mam yw'r unig gysylltiad cryf sydd gan Alys: pwy arall allai rannu peth o'r cymorth hwnnw?"),
    # The read-back to the person, and what support goes which way.
    Sentence("read-back", lambda t: read_back(WITH_MAM, t=t)[0],
             "You see Mam every day. It is a strong tie. You and Mam support each other: emotional.",
             "Rydych chi’n gweld Mam bob dydd. Mae’n gysylltiad cryf. Rydych chi a Mam yn cefnogi’ch gilydd: "
             "emosiynol."),
    Sentence("read-back", lambda t: support_words(FOUR.tie("t2"), t=t)[0],
             "You and Elin support each other: social.", "Rydych chi ac Elin yn cefnogi’ch gilydd: cymdeithasol."),
    Sentence("read-back", lambda t: support_words(FOUR.tie("t2"), t=t, person="Alys")[0],
             "Alys and Elin support each other: social.", "Mae Alys ac Elin yn cefnogi ei gilydd: cymdeithasol."),
    Sentence("read-back", lambda t: support_words(FOUR.tie("t3"), t=t)[0],
             "You give Ifan support: practical.", "Rydych chi’n rhoi cefnogaeth i Ifan: ymarferol."),
    Sentence("read-back", lambda t: support_words(person_map({**ELIN, "support": {}}).tie("t1"), t=t)[0],
             "No support goes either way between you and Elin at the moment.",
             "Does dim cefnogaeth yn mynd y naill ffordd na’r llall rhyngoch chi ac Elin ar hyn o bryd."),
    Sentence("read-back", lambda t: read_back(person_map({"name": "Côr", "sector": "community"}), t=t)[0],
             "Côr is part of your community. It is a moderate tie. We have not talked about support with Côr yet.",
             "Mae Côr yn rhan o’ch cymuned. Mae’n gysylltiad cymedrol. Dydyn ni ddim wedi sôn eto am gefnogaeth "
             "gyda Côr."),
    # The map in one sentence, and the measures in words: numbers with nouns.
    Sentence("summary", lambda t: summary_line(FOUR, t=t),
             "Alys’s ecomap. Ties now: 4 (family 2, community 1, services 1). Strong: 2. Can be stressful: 1.",
             "Ecomap Alys. Cysylltiadau nawr: 4 (teulu 2, cymuned 1, gwasanaethau 1). Cryf: 2. Gall achosi "
             "straen: 1."),
    Sentence("measure", lambda t: measure(WITH_MAM, "size", t),
             "1 tie is part of Alys’s life now: 1 in family, 0 in community and 0 in services.",
             "Mae 1 cysylltiad yn rhan o fywyd Alys nawr: 1 yn y teulu, 0 yn y gymuned a 0 yn y gwasanaethau."),
    Sentence("measure", lambda t: measure(ties_of(2), "size", t),
             "2 ties are part of Alys’s life now: 0 in family, 2 in community and 0 in services.",
             "Mae 2 gysylltiad yn rhan o fywyd Alys nawr: 0 yn y teulu, 2 yn y gymuned a 0 yn y gwasanaethau."),
    Sentence("measure", lambda t: measure(ties_of(3), "size", t),
             "3 ties are part of Alys’s life now: 0 in family, 3 in community and 0 in services.",
             "Mae 3 chysylltiad yn rhan o fywyd Alys nawr: 0 yn y teulu, 3 yn y gymuned a 0 yn y gwasanaethau."),
    Sentence("measure", lambda t: measure(ties_of(6), "size", t),
             "6 ties are part of Alys’s life now: 0 in family, 6 in community and 0 in services.",
             "Mae 6 chysylltiad yn rhan o fywyd Alys nawr: 0 yn y teulu, 6 yn y gymuned a 0 yn y gwasanaethau."),
    Sentence("measure", lambda t: measure(ties_of(5), "size", t),
             "5 ties are part of Alys’s life now: 0 in family, 5 in community and 0 in services.",
             "Mae 5 cysylltiad yn rhan o fywyd Alys nawr: 0 yn y teulu, 5 yn y gymuned a 0 yn y gwasanaethau."),
    Sentence("measure", lambda t: measure(FOUR, "informal", t),
             "3 of 4 ties are family or community.", "Mae 3 chysylltiad allan o 4 yn deulu neu’n gymuned."),
    Sentence("measure", lambda t: measure(FOUR, "strong", t),
             "2 of 4 ties are strong.", "Mae 2 gysylltiad allan o 4 yn gryf."),
    Sentence("measure", lambda t: measure(FOUR, "stressful", t),
             "1 of 4 ties can be stressful.", "Gall 1 cysylltiad allan o 4 fod yn straen."),
    Sentence("measure", lambda t: measure(FOUR, "support:social", t),
             "Alys gets social support from 1 tie and gives it to 1; it goes both ways with 1 of them.",
             "Mae Alys yn cael cefnogaeth gymdeithasol gan 1 cysylltiad ac yn ei rhoi i 1; mae’n mynd y ddwy "
             "ffordd gyda 1 ohonynt."),
    Sentence("measure", lambda t: measure(FOUR, "support:information", t),
             "Alys gets information support from 1 tie.", "Mae Alys yn cael cefnogaeth wybodaeth gan 1 cysylltiad."),
    Sentence("measure", lambda t: measure(FOUR, "support:practical", t),
             "Alys gives practical support to 1 tie.", "Mae Alys yn rhoi cefnogaeth ymarferol i 1 cysylltiad."),
    Sentence("measure", lambda t: measure(person_map(IFAN, {**IFAN, "name": "Beca"}), "support:practical", t),
             "Alys gives practical support to 2 ties.", "Mae Alys yn rhoi cefnogaeth ymarferol i 2 gysylltiad."),
    Sentence("measure", lambda t: measure(WITH_MAM, "support:social", t),
             "No social support is on the map yet.", "Does dim cefnogaeth gymdeithasol ar y map eto."),
    Sentence("measure", lambda t: measure(chain(1), "links", t),
             "1 pair of people on the map knows each other.", "Mae 1 pâr o bobl ar y map yn adnabod ei gilydd."),
    Sentence("measure", lambda t: measure(chain(2), "links", t),
             "2 pairs of people on the map know each other.", "Mae 2 bâr o bobl ar y map yn adnabod ei gilydd."),
    Sentence("measure", lambda t: measure(chain(3), "links", t),
             "3 pairs of people on the map know each other.", "Mae 3 phâr o bobl ar y map yn adnabod ei gilydd."),
    Sentence("measure", lambda t: measure(FOUR, "unlinked", t),
             "2 ties are not linked to anyone else on the map.",
             "Does gan 2 gysylltiad ddim cyswllt â neb arall ar y map."),
    # What changed between two versions.
    Sentence("change", lambda t: changed(BEFORE, AFTER, t),
             "Elin is new on the map.", "Mae Elin yn newydd ar y map."),
    Sentence("change", lambda t: changed(BEFORE, AFTER, t, 4),
             "The tie with Mam is not as strong as it was (strong before, moderate now): worth talking about.",
             "Nid yw’r cysylltiad â Mam mor gryf ag yr oedd (cryf o’r blaen, cymedrol nawr): gwerth siarad amdano."),
    Sentence("change", lambda t: changed(BEFORE, AFTER, t, 3),
             "Ifan has moved from family to community.", "Mae Ifan wedi symud o’r cylch teulu i’r cylch cymuned."),
    Sentence("change", lambda t: changed(BEFORE, AFTER, t, 1),
             "Alys gets emotional, social support from Ifan now.",
             "Mae Alys yn cael cefnogaeth emosiynol, gymdeithasol gan Ifan nawr."),
    Sentence("change", lambda t: changed(BEFORE, AFTER, t, 2),
             "Alys is in touch with Ifan more often (weekly; before: not recorded).",
             "Mae Alys mewn cysylltiad ag Ifan yn amlach (bob wythnos; o’r blaen: heb ei nodi)."),
    Sentence("change", lambda t: changed(BEFORE, AFTER, t, 5),
             "Meddygfa is no longer on the map.", "Nid yw Meddygfa ar y map mwyach."),
    Sentence("change", lambda t: changed(BEFORE, AFTER, t, 6),
             "Mam and Elin know each other now.", "Mae Mam ac Elin yn adnabod ei gilydd nawr."),
    Sentence("change", lambda t: changed(person_map(GP), person_map({**GP, "name": "Meddygfa Glan Môr"}), t),
             "Meddygfa is called Meddygfa Glan Môr now.", "Meddygfa Glan Môr yw enw Meddygfa nawr."),
    Sentence("change", lambda t: changed(person_map(IFAN), person_map({**IFAN, "status": "hoped_for"}), t),
             "Ifan was “in my life now” and is “hoped for” now.",
             "Mae Ifan wedi newid o “yn fy mywyd nawr” i “rwy'n gobeithio amdano”."),
    Sentence("change", lambda t: changed(person_map(IFAN), person_map({**IFAN, "status": "past"}), t),
             "Ifan is part of Alys’s past now.", "Mae Ifan yn rhan o orffennol Alys nawr."),
    # Buttons and headings with a ring in them: the soft mutation after "at".
    Sentence("add to a ring", lambda t: ring_button("family", t), "Add to Family", "Ychwanegu at Deulu"),
    Sentence("add to a ring", lambda t: ring_button("community", t), "Add to Community", "Ychwanegu at Gymuned"),
    Sentence("add to a ring", lambda t: ring_button("services", t), "Add to Services", "Ychwanegu at Wasanaethau"),
    Sentence("add to a ring", lambda t: t("Add {name} to People", name="Gwen"),
             "Add Gwen to People", "Ychwanegu Gwen at Bobl"),
    # Counts with nouns elsewhere: a visit's changes.
    Sentence("count", lambda t: visits_said(1, t), "1 change", "1 newid"),
    Sentence("count", lambda t: visits_said(2, t), "2 changes", "2 newid"),
    # The caseload: counts too small to show, and the patterns' names.
    Sentence("caseload", lambda t: count_text(3, t), "fewer than 5", "llai na 5"),
    Sentence("caseload", lambda t: t(PATTERNS["few-ties"].label),
             "Fewer than three people or places on the map", "Llai na thri pherson neu le ar y map"),
    Sentence("caseload", lambda t: t(PATTERNS["empty-sector:community"].label),
             "No community connections on the map yet", "Dim cysylltiadau cymunedol ar y map eto"),
    # A role on a map drawn in English, read in the reader's language.
    Sentence("role", lambda t: role_label(role_key("Brother or sister"), t), "Brother or sister", "Brawd neu chwaer"),
    Sentence("role", lambda t: tie_rows(FOUR, t=t)[3][t("Role")], "GP", "Meddyg teulu"),
    # The gentle language check: the Welsh list, and why, in the reader's language.
    Sentence("language check", lambda t: check("Mae hi’n ddefnyddiwr gwasanaeth")[0].why_in(t.language),
             "People are more than their use of services.",
             "Mae pobl yn fwy na’r gwasanaethau maen nhw’n eu defnyddio."),
)  # fmt: skip


@pytest.mark.parametrize("sentence", SENTENCES, ids=lambda s: f"{s.kind}: {s.english[:40]}")
def test_each_built_sentence_reads_right_in_english(sentence: Sentence) -> None:
    assert sentence.build(translator("en")) == sentence.english


@pytest.mark.parametrize("sentence", SENTENCES, ids=lambda s: f"{s.kind}: {s.english[:40]}")
def test_each_built_sentence_reads_right_in_welsh(sentence: Sentence) -> None:
    assert sentence.build(translator("cy")) == sentence.welsh


def test_the_list_covers_every_kind_of_built_sentence() -> None:
    kinds = {s.kind for s in SENTENCES}
    assert len(SENTENCES) >= 40
    assert kinds >= {
        "finding",
        "read-back",
        "summary",
        "measure",
        "change",
        "add to a ring",
        "count",
        "role",
        "caseload",
    }


def review_rows() -> list[str]:
    return [f"| {s.kind} | {s.english} | {s.welsh} |" for s in SENTENCES]


def test_the_review_list_in_the_docs_is_the_tested_table() -> None:
    """docs/welsh.md holds the same rows, for a Welsh speaker to review line by line."""
    written = [line for line in REVIEW_LIST.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    assert written[2:] == review_rows()


# -- the mutations, one table ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "mutation", "becomes"),
    [
        ("Gwasanaethau", "soft", "Wasanaethau"), ("cymuned", "soft", "gymuned"), ("Teulu", "soft", "Deulu"),
        ("pobl", "soft", "bobl"), ("brawd", "soft", "frawd"), ("dydd", "soft", "ddydd"), ("mam", "soft", "fam"),
        ("llyfr", "soft", "lyfr"), ("rhodd", "soft", "rodd"), ("chwaer", "soft", "chwaer"),
        ("Ffion", "soft", "Ffion"), ("afon", "soft", "afon"), ("ddoe", "soft", "ddoe"),
        ("cysylltiad", "aspirate", "chysylltiad"), ("pâr", "aspirate", "phâr"), ("teulu", "aspirate", "theulu"),
        ("gwasanaeth", "aspirate", "gwasanaeth"),
        ("Teulu", "nasal", "Nheulu"), ("cymuned", "nasal", "nghymuned"), ("pobl", "nasal", "mhobl"),
        ("bywyd", "nasal", "mywyd"), ("dinas", "nasal", "ninas"), ("gwaith", "nasal", "ngwaith"),
    ],
)  # fmt: skip
def test_each_mutation_changes_the_first_letters_it_should(word: str, mutation: str, becomes: str) -> None:
    assert mutate(word, mutation) == becomes


@pytest.mark.parametrize(
    ("word", "value", "written"),
    [("â", "Mam", "â Mam"), ("â", "Elin", "ag Elin"), ("â", "Owain", "ag Owain"), ("â", "Ŵyn", "ag Ŵyn"),
     ("a", "Alys", "ac Alys"), ("a", "Huw", "a Huw"), ("a", "Wil", "a Wil")],
)  # fmt: skip
def test_a_and_with_take_their_form_before_a_vowel(word: str, value: str, written: str) -> None:
    assert joined(word, value) == written


def test_a_translation_chooses_the_form_and_an_english_one_is_untouched() -> None:
    assert translator("en")("Add to {ring}", ring="Services") == "Add to Services"
    assert translator("cy")("Add to {ring}", ring="Gwasanaethau") == "Ychwanegu at Wasanaethau"


# -- roles stored as keys --------------------------------------------------------------------------


def test_a_role_is_stored_by_its_key_and_an_old_files_label_is_read_back_to_it() -> None:
    old = person_map(
        {"name": "Ifan", "role": "Brother or sister", "sector": "family"},
        {"name": "Beca", "role": "brawd neu chwaer", "sector": "family"},
        {"name": "Dr Jones", "role": "GP", "sector": "services"},
        {"name": "Bethan", "role": "best friend", "sector": "community"},
    )
    assert [tie.role for tie in old.ties] == ["sibling", "sibling", "gp", "best friend"]
    assert EcoMap.from_dict(old.to_dict()) == old
    assert [role_label(tie.role, translator("cy")) for tie in old.ties] == [
        "Brawd neu chwaer", "Brawd neu chwaer", "Meddyg teulu", "best friend"
    ]  # fmt: skip


def test_every_role_label_in_either_language_is_read_as_its_key() -> None:
    for language in ("en", "cy"):
        t = translator(language)
        assert all(role_key(t(role.label)) == key for key, role in ROLES.items())


# -- the Welsh phrase list -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Mae hi’n ddefnyddiwr gwasanaeth ers blwyddyn", "defnyddiwr gwasanaeth"),
        ("Roedd wedi gwrthod ymgysylltu â’r tîm", "wedi gwrthod ymgysylltu"),
        ("Digwyddiadau o ymddygiad heriol yn yr ysgol", "ymddygiad heriol"),
        ("Mae’n dod o deulu camweithredol", "teulu camweithredol"),
        ("Mae e wedi’i gaethiwo i gadair olwyn", "wedi’i gaethiwo i gadair olwyn"),
        ("Mae wedi'i gaethiwo i gadair olwyn", "wedi’i gaethiwo i gadair olwyn"),
        ("Mae Mam yn ynysig ers y symud", "ynysig"),
        ("Heb fynychu’r apwyntiad", "heb fynychu"),
    ],
)
def test_welsh_deficit_phrases_are_found_with_a_welsh_alternative(text: str, phrase: str) -> None:
    (found,) = check(text)
    assert (found.phrase, found.language) == (phrase, "cy")
    assert found.alternative and found.why_in("cy") and found.why_in("en") != found.why_in("cy")


def test_both_lists_are_checked_and_why_is_in_the_readers_language() -> None:
    found = check("He refused to engage, ac mae hi’n ddefnyddiwr gwasanaeth")
    assert [(s.phrase, s.language) for s in found] == [("refused to engage", "en"), ("defnyddiwr gwasanaeth", "cy")]
    assert found[0].why_in("cy") == "Mae’n rhoi’r berthynas i gyd ar ysgwyddau’r person."
    assert found[1].why_in("en") == "People are more than their use of services."


@pytest.mark.parametrize("text", ["Mae Alys yn canu yn y côr", "Mae’n gwasanaethu’r gymuned", "ynysoedd Cymru"])
def test_ordinary_welsh_is_left_alone(text: str) -> None:
    assert check(text) == []


# -- the language that lasts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("asked", "language"),
    [(("cy",), "cy"), (("cy-GB",), "cy"), ((None, "cy-GB,cy;q=0.9,en;q=0.8"), "cy"), (("en-GB",), "en"),
     ((None, "fr-FR,de;q=0.9"), None), ((None, "en;q=0.3,cy;q=0.7"), "cy"), ((None, None), None),
     (("de-DE", "en-US,en;q=0.9"), "en")],
)  # fmt: skip
def test_the_first_visit_follows_the_browsers_language(asked: tuple[str | None, ...], language: str | None) -> None:
    assert preferred_language(*asked) == language


def test_the_persons_recorded_language_is_their_files_language() -> None:
    assert files_language("cy", "en") == "cy"
    assert files_language(None, "cy") == "cy"
    assert files_language("pl", "en") == "en"
    assert person_map(MAM).person.language is None


def test_the_command_line_exports_in_the_persons_language_unless_told(tmp_path: Path) -> None:
    from ecomap.cli import main

    m = person_map({**IFAN, "role": "Brother or sister"}, language="cy")
    source = tmp_path / "map.json"
    source.write_text(json.dumps(m.to_dict()), "utf-8")
    assert main(["export", str(source), "--to", str(tmp_path / "cy.html")]) == 0
    assert main(["export", str(source), "--to", str(tmp_path / "en.html"), "--lang", "en"]) == 0
    welsh, english = ((tmp_path / f"{name}.html").read_text("utf-8") for name in ("cy", "en"))
    assert '<html lang="cy">' in welsh and "Brawd neu chwaer" in welsh
    assert '<html lang="en">' in english and "Brother or sister" in english


def test_a_moment_in_welsh_is_on_welsh_clocks() -> None:
    from ecomap.i18n import date_and_time

    assert date_and_time(datetime(2026, 12, 1, 10, 47, tzinfo=UTC), translator("cy")) == "1 Rhagfyr 2026, 10:47"


def test_no_welsh_sentence_keeps_an_english_joining_word() -> None:
    """A Welsh sentence built from parts never says "and" or "with" in English between them."""
    english_words = re.compile(r"\b(and|with|of|from|to)\b")
    assert [s.welsh for s in SENTENCES if english_words.search(s.welsh)] == []


# -- the Welsh attachment of a map drawn in English ----------------------------------------------------

#: A map drawn in an English session: role chips store keys, an older file's roles are English labels.
DRAWN_IN_ENGLISH = person_map(
    {**MAM, "role": "mother"},
    {**IFAN, "role": "Brother or sister"},
    {"name": "Dr Evans", "role": "GP", "sector": "services", "kind": "organisation"},
    {"name": "Sioned", "role": "friend", "sector": "community", "strength": "strong", "support": {"social": "both"}},
    what_matters=["Staying in my own home"],
    strengths=["Great cook"],
)
WELSH_HEADINGS = ("Beth sy’n bwysig i Alys", "Cryfderau Alys", "Beth sy’n gryf", "Pethau i’w harchwilio gyda’n gilydd",
                  "Y map mewn rhifau", "Y map mewn geiriau")  # fmt: skip
WELSH_ROLES = ("Brawd neu chwaer", "Meddyg teulu", "Ffrind")
ENGLISH_ROLES = ("Brother or sister", "Friend", "(GP)")


def pdf_text(data: bytes) -> str:
    import subprocess

    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def docx_text(data: bytes) -> str:
    import io

    from docx import Document

    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


@pytest.mark.parametrize(("suffix", "read"), [(".pdf", pdf_text), (".docx", docx_text)])
def test_the_welsh_attachment_of_a_map_drawn_in_english_has_welsh_roles_and_headings(
    suffix: str, read: Callable[[bytes], str]
) -> None:
    from ecomap.exports import export

    text = " ".join(read(export(DRAWN_IN_ENGLISH, suffix, t=translator("cy"))).split())
    assert [heading for heading in WELSH_HEADINGS if heading not in text] == []
    assert [role for role in WELSH_ROLES if role not in text] == []
    assert [role for role in ENGLISH_ROLES if role in text] == []
    english = " ".join(read(export(DRAWN_IN_ENGLISH, suffix, t=translator("en"))).split())
    assert "Brother or sister" in english and "Brawd neu chwaer" not in english


# -- the language in the app (AppTest) -------------------------------------------------------------


def test_the_url_language_is_the_pages_and_every_link_carries_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ecomap.store import DATABASE_URL_VARIABLE, LOCAL_USER, Store
    from tests.pages.conftest import people_page

    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    store = Store.from_url(url)
    store.migrate()
    store.add_person(LOCAL_USER, person_map(MAM))
    at = people_page()
    at.query_params["lang"] = "cy"
    at.run()
    assert not at.exception
    assert at.session_state["language"] == "cy"
    assert at.sidebar.segmented_control[0].label == "Iaith"
    links = [link.proto for link in at.get("page_link")]
    assert links and all("lang=cy" in link.query_string for link in links)
    at.sidebar.segmented_control[0].set_value("en").run()
    assert at.query_params["lang"] == "en"
    assert at.sidebar.segmented_control[0].label == "Language"


def test_the_persons_language_is_recorded_and_is_the_share_pages_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ecomap.store import DATABASE_URL_VARIABLE, LOCAL_USER, Store
    from tests.pages.conftest import map_page, open_record, people_page

    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv(DATABASE_URL_VARIABLE, url)
    store = Store.from_url(url)
    store.migrate()
    opened = store.add_person(LOCAL_USER, person_map(MAM))
    at = open_record(map_page(opened.map.id).run())
    assert not at.exception
    at.button_group(key="person_language_1").set_value("cy").run()
    assert not at.exception
    assert store.open(LOCAL_USER, opened.map.id).map.person.language == "cy"
    share = people_page().switch_page("pages/share.py")
    share.query_params["map"] = opened.map.id
    share.run()
    assert not share.exception
    assert share.button_group(key="share_language").value == "cy"  # the page itself is in English
    assert share.session_state["language"] == "en"
