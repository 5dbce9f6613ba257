import pytest
from django.db import IntegrityError

from territories.models import (
    IndustryLabel,
    LabelPhase,
    Organisation,
    Territory,
    TerritoryAlias,
    TerritoryKind,
)

pytestmark = pytest.mark.django_db


def test_commune_str_shows_its_departement():
    assert str(Territory.objects.get(kind=TerritoryKind.COMMUNE, code="62765")) == "Saint-Omer (62)"


def test_kind_and_code_are_unique_but_groupings_need_no_code():
    with pytest.raises(IntegrityError):
        Territory.objects.create(kind=TerritoryKind.COMMUNE, code="62765", name="X", slug="x-dup")


def test_free_groupings_have_no_code_and_hold_members():
    pays = Territory.objects.create(kind=TerritoryKind.GROUPING, name="Pays Test", slug="pays-a")
    other = Territory.objects.create(kind=TerritoryKind.GROUPING, name="Pays B", slug="pays-b")
    epci = Territory.objects.get(kind=TerritoryKind.EPCI, code="245400171")
    pays.members.add(epci)
    assert other.code is None
    inside = Territory.objects.within(pays)
    assert inside.filter(pk=epci.pk).exists()
    assert inside.filter(kind=TerritoryKind.COMMUNE, epci=epci).exists()


def test_alias_and_organisation_keys_are_computed_on_save():
    epci = Territory.objects.get(kind=TerritoryKind.EPCI, code="200072478")
    alias = TerritoryAlias.objects.create(territory=epci, name="Pays d’Opale (CC)")
    assert alias.normalized == "pays opale cc"
    org = Organisation.objects.create(name="CCI Artois", slug="cci-artois")
    assert org.normalized_name == "cci artois"


def test_organisation_names_are_unique_whatever_the_accents():
    Organisation.objects.create(name="Réseau Entreprendre", slug="re-1")
    with pytest.raises(IntegrityError):
        Organisation.objects.create(name="reseau entreprendre", slug="re-2")


def test_second_phase_label_groups_several_epcis():
    label = IndustryLabel.objects.create(
        name="Territoire d'industrie de la métropole lilloise",
        slug="metropole-lilloise",
        phase=LabelPhase.SECOND,
    )
    label.territories.set(Territory.objects.filter(code__in=["200093201", "200041960"]))
    assert label.territories.count() == 2
    assert label.code is None
