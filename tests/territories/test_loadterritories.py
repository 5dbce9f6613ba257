import pytest
from django.core.management import call_command

from territories.models import IndustryLabel, LabelPhase, Territory, TerritoryAlias, TerritoryKind
from territories.services import reference_load

pytestmark = pytest.mark.django_db


def count(kind):
    return Territory.objects.filter(kind=kind, is_reference=True).count()


def test_reference_counts_match_the_official_lists():
    assert count(TerritoryKind.REGION) == 18
    assert count(TerritoryKind.DEPARTEMENT) == 101
    assert count(TerritoryKind.EPCI) == 1255
    assert count(TerritoryKind.COMMUNE) == 34875
    assert IndustryLabel.objects.filter(phase=LabelPhase.FIRST).count() == 149


def test_commune_knows_its_epci_departement_and_region():
    leforest = Territory.objects.get(kind=TerritoryKind.COMMUNE, code="62497")
    assert leforest.name == "Leforest"
    assert leforest.epci.code == "246200299"  # CA d'Hénin-Carvin
    assert leforest.departement.code == "62"
    assert leforest.region.code == "32"
    assert [t.code for t in leforest.ancestors()] == ["32", "62", "246200299"]


def test_epci_spanning_two_departements_lists_both():
    multi = (
        Territory.objects.filter(kind=TerritoryKind.EPCI)
        .prefetch_related("departements")
        .filter(departements__isnull=False)
        .distinct()
    )
    spanning = [e for e in multi[:2000] if len(e.departements.all()) > 1]
    assert len(spanning) >= 80
    sample = spanning[0]
    assert sample.departement in sample.departements.all()


def test_homonym_communes_get_distinct_readable_slugs():
    slugs = set(
        Territory.objects.filter(kind=TerritoryKind.COMMUNE, name="Saint-Omer").values_list(
            "slug", flat=True
        )
    )
    assert {"saint-omer-62", "saint-omer-14"} <= slugs


def test_usual_names_and_acronyms_are_aliases():
    def territory_for(alias):
        from territories.naming import name_key

        return {
            a.territory.code
            for a in TerritoryAlias.objects.filter(normalized=name_key(alias)).select_related(
                "territory"
            )
        }

    assert "200072460" in territory_for("CABBALR")
    assert "200093201" in territory_for("MEL")
    assert "200072478" in territory_for("CCPO")
    assert territory_for("Douaisis Agglo") == {"200044618"}
    assert territory_for("Métropole de Valenciennes") == {"245901160"}
    assert territory_for("Communauté d'agglomération du Pays de Saint-Omer") == {"200069037"}


def test_former_communes_are_aliases_of_the_commune_they_joined():
    alias = TerritoryAlias.objects.filter(kind="former", territory__code="01015").first()
    assert alias is not None


def test_first_phase_label_has_members_region_and_perimeter():
    label = IndustryLabel.objects.get(code="ti-4411")
    assert label.name == "Terres de Lorraine"
    assert label.region.code == "44"
    assert {"245400171", "200070563"} <= set(label.territories.values_list("code", flat=True))
    assert label.perimeter["type"] == "MultiPolygon"


def test_second_run_creates_and_changes_nothing():
    report = reference_load()
    assert not report.changed
    assert sum(report.created.values()) == 0
    assert sum(report.updated.values()) == 0


def test_a_territory_that_left_the_reference_is_marked_obsolete_not_deleted():
    from territories.reference import load_reference_file

    data = load_reference_file()
    data["communes"] = [c for c in data["communes"] if c[0] != "62497"]
    for epci in data["epcis"]:
        epci[4] = [m for m in epci[4] if m != "62497"]
    report = reference_load(data=data)
    leforest = Territory.objects.get(kind=TerritoryKind.COMMUNE, code="62497")
    assert leforest.is_obsolete
    assert report.obsolete[TerritoryKind.COMMUNE] == 1


def test_editor_changes_to_a_label_survive_a_reload():
    label = IndustryLabel.objects.get(code="ti-4411")
    label.name = "Pays Terres de Lorraine"
    label.edited_at = label.updated_at
    label.save()
    reference_load()
    assert IndustryLabel.objects.get(code="ti-4411").name == "Pays Terres de Lorraine"


def test_command_reports_that_nothing_changed(capsys):
    call_command("loadterritories")
    assert "déjà à jour" in capsys.readouterr().out


def test_within_finds_communes_of_an_epci_and_of_a_region():
    epci = Territory.objects.get(kind=TerritoryKind.EPCI, code="246200299")
    inside = Territory.objects.within(epci)
    assert inside.filter(code="62497").exists()
    region = Territory.objects.get(kind=TerritoryKind.REGION, code="32")
    assert Territory.objects.within(region).filter(code="62497").exists()
    assert not Territory.objects.within(region).filter(code="57606").exists()  # Saint-Avold


def test_if_missing_does_nothing_once_the_reference_is_loaded(
    capsys, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        call_command("loadterritories", "--if-missing")
    assert "déjà chargé" in capsys.readouterr().out
