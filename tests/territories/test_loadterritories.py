import copy

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from news.models import ArticleIndustryLabel, LinkRejection, LinkStatus
from territories.models import IndustryLabel, LabelPhase, Territory, TerritoryAlias, TerritoryKind
from territories.reference import load_reference_file
from territories.services import reference_load
from tests.factories import make_article, make_label, territory

pytestmark = pytest.mark.django_db


def count(kind):
    return Territory.objects.filter(kind=kind, is_reference=True).count()


def test_reference_counts_match_the_official_lists():
    assert count(TerritoryKind.REGION) == 18
    assert count(TerritoryKind.DEPARTEMENT) == 101
    assert count(TerritoryKind.EPCI) == 1255
    assert count(TerritoryKind.COMMUNE) == 34875
    assert IndustryLabel.objects.filter(phase=LabelPhase.FIRST).count() == 149
    assert IndustryLabel.objects.filter(phase=LabelPhase.SECOND).count() == 183


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


def first(code):
    return IndustryLabel.objects.get(code=code, phase=LabelPhase.FIRST)


def second(code):
    return IndustryLabel.objects.get(code=code, phase=LabelPhase.SECOND)


def members(label):
    return set(label.territories.values_list("kind", "code"))


def test_first_phase_label_has_members_region_and_perimeter():
    label = first("ti-4411")
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
    label = first("ti-4411")
    label.name = "Pays Terres de Lorraine"
    label.edited_at = label.updated_at
    label.save()
    reference_load()
    assert first("ti-4411").name == "Pays Terres de Lorraine"


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


def test_second_phase_label_has_members_region_and_perimeter():
    label = second("ti-3213")
    assert label.name == "SCOT Lille Métropole"
    assert label.region.code == "32"
    assert label.is_reference
    assert members(label) == {("epci", "200041960"), ("epci", "200093201")}
    assert label.perimeter["type"] == "MultiPolygon"
    assert label.get_absolute_url() != first("ti-3213").get_absolute_url()


def test_the_two_phases_reuse_identifiers_for_different_territories():
    assert first("ti-3213").name == "Vallée de la Bresle - Vimeu"
    assert second("ti-3213").name == "SCOT Lille Métropole"
    assert second("ti-2809").name == "Vallée de la Bresle – Vimeu"


def test_second_phase_names_lose_their_trailing_non_breaking_space():
    assert second("ti-4411").name == "Pays de Châlons"
    assert not IndustryLabel.objects.filter(name__endswith="\xa0").exists()


def test_second_phase_members_can_be_single_communes_or_an_ept():
    creuse = members(second("ti-7506"))
    assert sum(kind == TerritoryKind.COMMUNE for kind, _code in creuse) == 11
    assert ("commune", "23019") in creuse
    assert ("commune", "58046") in members(second("ti-2707"))
    assert members(second("ti-1101")) == {("groupement", "200057990")}  # EPT Boucle Nord de Seine
    total = IndustryLabel.territories.through.objects.filter(
        industrylabel__phase=LabelPhase.SECOND, industrylabel__is_reference=True
    ).count()
    assert total == 641


def test_a_label_reaching_across_a_regional_border_keeps_the_region_of_its_identifier():
    label = second("ti-7510")  # Lacq – Pau – Tarbes: three of its members are in Occitanie
    assert label.region.code == "75"
    assert {m.region.code for m in label.territories.select_related("region")} == {"75", "76"}


def _changed_second_phase(code, **changes):
    data = load_reference_file()
    data["industry_labels_phase2"] = copy.deepcopy(data["industry_labels_phase2"])
    (row,) = [row for row in data["industry_labels_phase2"] if row[0] == code]
    if "name" in changes:
        row[1] = changes["name"]
    if "members" in changes:
        row[3] = changes["members"]
    return data


def test_a_changed_second_phase_source_updates_the_label_in_place():
    label = second("ti-3213")
    data = _changed_second_phase(
        "ti-3213", name="Scot de Lille Métropole", members=[["epci", "200093201"]]
    )
    report = reference_load(data=data)
    assert report.updated["industry_label_phase2"] == 1
    assert report.created["industry_label_phase2"] == 0
    changed = second("ti-3213")
    assert changed.pk == label.pk and changed.slug == label.slug
    assert changed.name == "Scot de Lille Métropole"
    assert members(changed) == {("epci", "200093201")}
    assert first("ti-3213").name == "Vallée de la Bresle - Vimeu"  # the other phase untouched


def test_labels_made_from_articles_are_reconciled_with_the_official_list():
    lorraine = second("ti-4418")
    lorraine_members = list(lorraine.territories.all())
    lille = second("ti-3213")
    # What the importer used to do: a second-phase copy of a first-phase label seen in a 2025
    # text, and a label named after an article. The official rows are set aside so that the
    # reload finds the copies first, as on a database loaded before the second phase.
    IndustryLabel.objects.filter(pk__in=[lorraine.pk, lille.pk]).delete()
    lorraine_copy = make_label(
        "Terres de Lorraine", slug="terres-de-lorraine-2023-2027", territories=lorraine_members
    )
    named_copy = make_label(
        "Territoire d’industrie du Scot Lille Métropole",
        slug="territoire-d-industrie-du-scot-lille-metropole-2023-2027",
        territories=[territory("200093201", TerritoryKind.EPCI)],
    )
    members_copy = make_label(
        "Métropole lilloise et Pévèle",
        territories=[
            territory("200093201", TerritoryKind.EPCI),
            territory("200041960", TerritoryKind.EPCI),
        ],
    )
    unrelated = make_label("Cœur de Flandre", territories=[territory("200040947", "epci")])
    on_lorraine = make_article(labels=[lorraine_copy])
    on_both = make_article(labels=[named_copy], link_status=LinkStatus.CONFIRMED)
    ArticleIndustryLabel.objects.create(article=on_both, label=members_copy)
    rejected = make_article()
    LinkRejection.objects.create(
        article=rejected,
        content_type=ContentType.objects.get_for_model(IndustryLabel),
        object_id=members_copy.pk,
    )

    report = reference_load()

    assert report.reconciled == 3
    official_lorraine = second("ti-4418")
    # The copy became the official label: its address and links stay.
    assert official_lorraine.pk == lorraine_copy.pk
    assert official_lorraine.slug == "terres-de-lorraine-2023-2027"
    assert official_lorraine.is_reference
    assert list(on_lorraine.industry_labels.all()) == [official_lorraine]
    official_lille = second("ti-3213")
    assert official_lille.name == "SCOT Lille Métropole"
    assert members(official_lille) == {("epci", "200041960"), ("epci", "200093201")}
    # Matched by name and by members: one label, one (confirmed) link, the rejection kept.
    assert (
        not IndustryLabel.objects.filter(pk__in=[named_copy.pk, members_copy.pk])
        .exclude(pk=official_lille.pk)
        .exists()
    )
    (link,) = ArticleIndustryLabel.objects.filter(article=on_both)
    assert (link.label_id, link.status) == (official_lille.pk, LinkStatus.CONFIRMED)
    assert LinkRejection.objects.get(article=rejected).object_id == official_lille.pk
    # A name on neither list stays as the importer made it.
    assert IndustryLabel.objects.get(pk=unrelated.pk).code is None
    assert IndustryLabel.objects.filter(phase=LabelPhase.SECOND, is_reference=True).count() == 183
    assert not reference_load().changed


def test_a_label_an_editor_changed_is_not_reconciled():
    label = make_label("Terres de Lorraine", territories=list(second("ti-4418").territories.all()))
    label.edited_at = label.updated_at
    label.save()
    reference_load()
    assert IndustryLabel.objects.filter(pk=label.pk, code__isnull=True).exists()


def test_a_copy_of_a_label_only_the_other_phase_has_joins_it():
    # A 2025 text about Sel et Vermois, labelled in the first phase only: the importer used to
    # make a second-phase copy of it.
    official = first("ti-4409")
    copy_ = make_label("Sel et Vermois", territories=list(official.territories.all()))
    article = make_article(labels=[copy_])
    report = reference_load()
    assert report.reconciled == 1
    assert not IndustryLabel.objects.filter(pk=copy_.pk).exists()
    assert list(article.industry_labels.all()) == [official]
