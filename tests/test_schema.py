"""The shipped JSON Schema is generated from the model and agrees with it."""

from __future__ import annotations

import json

import jsonschema
import pytest

from ecomap.errors import MapInvalid
from ecomap.examples import example_maps
from ecomap.model import EcoMap, json_schema, schema_path
from tests.conftest import document


def shipped() -> dict:  # type: ignore[type-arg]
    return json.loads(schema_path().read_text(encoding="utf-8"))


def test_the_shipped_schema_is_the_generated_one() -> None:
    # Regenerate with: python -m ecomap schema > ecomap/schema/map-v2.schema.json
    assert shipped() == json_schema()


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(shipped())


@pytest.mark.parametrize("m", example_maps(), ids=lambda m: m.person.name)
def test_examples_are_valid_by_the_schema_too(m: EcoMap) -> None:
    jsonschema.validate(m.to_dict(), shipped(), cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize(
    "doc",
    [
        document(ties=[{"id": "t1", "name": "Mam", "sector": "family", "strength": "strongest"}], links=[], plan=[]),
        document(ties=[{"id": "t1", "name": "Mam", "sector": "family", "unknown": 1}], links=[], plan=[]),
        document(ties=[{"id": "t1", "name": "Mam"}], links=[], plan=[]),
        document(ties=[{"id": "t1", "name": "Ma\x00m", "sector": "family"}], links=[], plan=[]),
        document(ties=[{"id": "t1", "name": "x" * 101, "sector": "family"}], links=[], plan=[]),
        document(person={"name": "A", "language": "Cymraeg"}),
        document(schema_version=2),
        document(links=[{"between": ["t1"]}]),
    ],
)
def test_the_schema_and_the_model_refuse_the_same_documents(doc: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(MapInvalid):
        EcoMap.from_dict(doc)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, shipped(), cls=jsonschema.Draft202012Validator)
