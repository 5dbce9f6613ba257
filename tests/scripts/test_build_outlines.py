"""scripts/build_outlines.py on a tiny made-up source: shared borders survive simplification,
a région is the union of its départements, the same sources give the same bytes."""

import json

import pytest

from scripts.build_outlines import ArcSimplifier, build, dissolve, signed_area, write


def _feature(code, ring):
    return {
        "type": "Feature",
        "properties": {"adm0_a3": "FRA", "gn_a1_code": f"FR.{code}", "name": code},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


# Two départements side by side sharing a wiggly border (x = 2 ± 0.001), a third to the east.
WIGGLE = [[2.0 + (0.001 if i % 2 else 0), 45.0 + i / 10] for i in range(11)]
WEST = [[1.0, 45.0], *WIGGLE, [1.0, 46.0], [1.0, 45.0]]
EAST = [*WIGGLE, [3.0, 46.0], [3.0, 45.0], [2.0, 45.0]]
FAR = [[3.0, 45.0], [3.0, 46.0], [4.0, 46.0], [4.0, 45.0], [3.0, 45.0]]


@pytest.fixture
def sources(tmp_path):
    natural_earth = tmp_path / "admin1.geojson"
    natural_earth.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [_feature("01", WEST), _feature("02", EAST), _feature("03", FAR)],
            }
        )
    )
    decoupage = tmp_path / "decoupage"
    (decoupage / "data").mkdir(parents=True)
    departements = [
        {"code": "01", "region": "84", "nom": "Ouest", "zone": "metro"},
        {"code": "02", "region": "84", "nom": "Est", "zone": "metro"},
        {"code": "03", "region": "44", "nom": "Loin", "zone": "metro"},
    ]
    regions = [
        {"code": "84", "nom": "Région A", "zone": "metro"},
        {"code": "44", "nom": "Région B", "zone": "metro"},
    ]
    (decoupage / "data" / "departements.json").write_text(json.dumps(departements))
    (decoupage / "data" / "regions.json").write_text(json.dumps(regions))
    return natural_earth, decoupage


def test_a_region_is_the_union_of_its_departements(sources):
    data = build(*sources, tolerance=0.01)
    region_a = next(r for r in data["regions"] if r["code"] == "84")
    (polygon,) = region_a["geometry"]["coordinates"]
    (ring,) = polygon
    xs = sorted({x for x, _ in ring})
    assert xs[0] == 1.0 and xs[-1] == 3.0
    assert not any(1.5 < x < 2.5 and 45 < y < 46 for x, y in ring)  # the inner border went
    assert region_a["name"] == "Région A"
    assert [d["code"] for d in data["departements"]] == ["01", "02", "03"]


def test_neighbours_keep_one_border_after_simplification(sources):
    data = build(*sources, tolerance=0.01)
    west, east = (
        {tuple(p) for p in d["geometry"]["coordinates"][0][0]} for d in data["departements"][:2]
    )
    shared = west & east
    # The wiggle is under the tolerance: the border is a straight line, drawn once for both.
    assert {(2.0, 45.0), (2.0, 46.0)} <= shared
    assert not any(x == 2.001 for x, _ in west | east)


def test_the_same_sources_give_the_same_bytes(sources, tmp_path):
    first, second = tmp_path / "a.json.gz", tmp_path / "b.json.gz"
    write(build(*sources), first)
    write(build(*sources), second)
    assert first.read_bytes() == second.read_bytes()


def test_an_unknown_departement_stops_the_build(sources):
    natural_earth, decoupage = sources
    features = json.loads(natural_earth.read_text())
    features["features"].append(_feature("99", FAR))
    natural_earth.write_text(json.dumps(features))
    with pytest.raises(SystemExit):
        build(natural_earth, decoupage)


def test_dissolve_keeps_a_hole_and_orients_rings():
    outer = [(0, 0), (10, 0), (10, 10), (0, 10)]
    hole = [(4, 4), (4, 6), (6, 6), (6, 4)]
    (polygon,) = dissolve([[outer, hole]])
    assert signed_area(polygon[0]) > 0 and signed_area(polygon[1]) < 0


def test_an_island_keeps_at_least_a_triangle_when_simplified():
    island = [(0, 0), (1000, 0), (1000, 1000), (0, 1000)]
    simplifier = ArcSimplifier({"a": [island]}, tolerance=0.0001)
    assert len(simplifier.ring(island)) >= 2
