"""The vendored base of the maps: every région and département, in WGS84, light enough."""

import gzip
import json

from territories import outlines
from territories.maps import bounds, is_metropolitan, representative_point


def _points(geometry):
    return [point for polygon in geometry["coordinates"] for ring in polygon for point in ring]


def _inside(point, geometry):
    x, y = point
    inside = False
    for polygon in geometry["coordinates"]:
        for ring in polygon:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
                if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                    inside = not inside
    return inside


def test_the_eighteen_regions_and_hundred_and_one_departements_are_there():
    regions = outlines.regions()
    assert len(regions) == 18
    assert {r.name for r in regions} >= {"Hauts-de-France", "Corse", "La Réunion", "Mayotte"}
    departements = [d for r in regions for d in outlines.departements(r.code)]
    assert len(departements) == 101
    assert {d.code for d in outlines.departements("94")} == {"2A", "2B"}


def test_outlines_are_longitudes_and_latitudes_of_france():
    for region in outlines.regions():
        lon_min, lat_min, lon_max, lat_max = bounds(region.geometry)
        assert -62 < lon_min < lon_max < 56 and -22 < lat_min < lat_max < 52
        metropolitan = region.code not in {"01", "02", "03", "04", "06"}
        assert is_metropolitan(bounds(region.geometry)) == metropolitan


def test_every_region_name_is_written_inside_it():
    for region in outlines.regions():
        assert _inside(region.label_point, region.geometry), region.name


def test_regions_are_simplified_to_a_few_hundred_points_and_the_file_stays_small():
    for region in outlines.regions():
        assert 30 <= len(_points(region.geometry)) <= 600, region.name
    assert outlines.DATA.stat().st_size < 200_000
    with gzip.open(outlines.DATA, "rt", encoding="utf-8") as handle:
        assert "Natural Earth" in json.load(handle)["source"]


def test_slugs_link_regions_to_their_pages():
    (hauts,) = [r for r in outlines.regions({"32": "hauts-de-france"}) if r.code == "32"]
    assert hauts.slug == "hauts-de-france"
    assert outlines.region("32", "hauts-de-france").slug == "hauts-de-france"
    assert outlines.region("99") is None


def test_a_label_point_of_the_data_matches_the_site_placement():
    region = outlines.region("32")
    lon, lat = representative_point(region.geometry)
    assert abs(lon - region.label_point[0]) < 0.01 and abs(lat - region.label_point[1]) < 0.01
