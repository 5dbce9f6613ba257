"""The pages that draw maps: the map of France, a label's page, a région's page and the home
page, read as a French reader gets them."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from territories.models import IndustryLabel, LabelPhase
from tests.factories import make_label
from tests.places import reference_places

pytestmark = pytest.mark.django_db

MAP = reverse("territories:label-map")
SVG_NUMBER_ATTRIBUTES = ("d", "x", "y", "width", "height", "viewBox", "transform", "points")
ATTRIBUTE = re.compile(r"\s(" + "|".join(SVG_NUMBER_ATTRIBUTES) + r')="([^"]*)"')


@pytest.fixture
def places():
    return reference_places()


def svgs(content: str) -> list[str]:
    """The maps of the page (the legend's swatches are small SVGs too)."""
    return re.findall(r'<svg class="label-map.*?</svg>', content, flags=re.S)


def assert_no_comma_in_svg_numbers(content: str):
    assert svgs(content)
    for svg in re.findall(r"<svg\b.*?</svg>", content, flags=re.S):
        for name, value in ATTRIBUTE.findall(svg):
            assert not re.search(r"\d,\d", value), f'{name}="{value[:60]}"'


def french_page(client, url, **params):
    with translation.override("fr"):
        response = client.get(url, params, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    return response.content.decode()


def test_every_map_page_writes_svg_numbers_with_a_point_under_the_french_locale(client, places):
    pages = [
        MAP,
        reverse("news:home"),
        places.label.get_absolute_url(),
        places.region.get_absolute_url(),
    ]
    for url in pages:
        content = french_page(client, url)
        assert 'lang="fr"' in content
        assert_no_comma_in_svg_numbers(content)


def test_the_map_draws_the_regions_as_links_under_the_labels(client, places):
    content = french_page(client, MAP)
    (svg,) = svgs(content)
    assert f'<a href="{places.region.get_absolute_url()}" class="map-base__link">' in svg
    assert "<title>Hauts-de-France</title>" in svg
    # Its name is written on the map, not only in a tooltip.
    assert re.search(r"<text x=\"[\d.]+\" y=\"[\d.]+\">Hauts-de-France</text>", svg)
    assert svg.index('class="map-base"') < svg.index('class="map-labels"')


def test_the_map_frames_the_five_overseas_regions(client, places):
    (svg,) = svgs(french_page(client, MAP))
    captions = re.findall(r'<text class="map-inset__caption"[^>]*>([^<]+)</text>', svg)
    assert captions == ["Guadeloupe", "Guyane", "La Réunion", "Martinique", "Mayotte"]
    assert svg.count('<rect x="') == 5


def test_labels_are_coloured_by_phase_with_a_legend_and_counts(client, places):
    second = make_label(
        "Artois Lys seconde",
        region=places.region,
        phase=LabelPhase.SECOND,
        perimeter=places.label.perimeter,
    )
    content = french_page(client, MAP)
    (svg,) = svgs(content)
    first_count = IndustryLabel.objects.filter(phase=LabelPhase.FIRST).count()
    second_count = IndustryLabel.objects.filter(phase=LabelPhase.SECOND).count()
    assert 'class="map-label map-label--2018-2022"' in svg
    assert (
        f'<a href="{second.get_absolute_url()}"><title>Artois Lys seconde</title>'
        '<path class="map-label map-label--2023-2027"' in svg
    )
    legend = content[content.index('class="map-legend"') :]
    assert f"Première phase (2018–2022) : {first_count} territoires" in legend
    assert f"Seconde phase (2023–2027) : {second_count} territoires" in legend


def test_the_phase_switch_works_without_javascript(client, places):
    second = make_label(
        "Artois Lys seconde",
        region=places.region,
        phase=LabelPhase.SECOND,
        perimeter=places.label.perimeter,
    )
    content = french_page(client, MAP, phase=LabelPhase.SECOND)
    (svg,) = svgs(content)
    assert second.get_absolute_url() in svg
    assert places.label.get_absolute_url() not in svg
    assert f'href="{MAP}?phase=2023-2027" aria-current="page"' in content
    # An unknown phase shows both.
    content = french_page(client, MAP, phase="1999")
    assert places.label.get_absolute_url() in svgs(content)[0]
    assert f'href="{MAP}" aria-current="page"' in content


def test_the_map_lists_its_labels_by_region_as_text(client, places):
    content = french_page(client, MAP)
    listing = content[content.index('class="map-list"') :]
    assert "<h2>Hauts-de-France</h2>" in listing
    assert f'<a href="{places.label.get_absolute_url()}">Béthune-Bruay</a>' in listing


def test_a_label_page_shows_its_perimeter_within_its_region(client, places):
    neighbour = (
        IndustryLabel.objects.filter(region=places.region, phase=LabelPhase.FIRST)
        .exclude(pk=places.label.pk)
        .exclude(perimeter=None)
        .first()
    )
    content = french_page(client, places.label.get_absolute_url())
    (svg,) = svgs(content)
    assert "dans la région Hauts-de-France" in svg  # the map's title
    assert re.search(r'<text class="map-names__highlight"[^>]*>Béthune-Bruay</text>', svg)
    # The département names that do not cover the label's own.
    assert re.search(r'<text class="map-names__departement"[^>]*>Somme</text>', svg)
    assert 'class="map-region-outline"' in svg
    assert 'class="map-labels map-labels--faint"' in svg
    assert neighbour.get_absolute_url() in svg
    assert "les départements de la région Hauts-de-France" in content  # the caption


def test_a_region_page_maps_its_departements_and_labels(client, places):
    content = french_page(client, places.region.get_absolute_url())
    (svg,) = svgs(content)
    assert f'<a href="{places.departement.get_absolute_url()}" class="map-base__link">' in svg
    assert places.label.get_absolute_url() in svg
    first = IndustryLabel.objects.filter(region=places.region, phase=LabelPhase.FIRST).count()
    legend = content[content.index('class="map-legend"') :]
    assert f"Première phase (2018–2022) : {first} territoires" in legend


def test_a_label_without_perimeter_has_no_map(client, places):
    label = make_label("Sans périmètre", region=places.region)
    content = french_page(client, label.get_absolute_url())
    assert svgs(content) == []
