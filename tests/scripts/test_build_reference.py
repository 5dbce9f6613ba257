"""scripts/build_reference.py on a small subset of the sources: what it keeps, and the same bytes
for the same sources."""

import csv
import gzip
import json

import pytest

from scripts.build_reference import build, write

SQUARE = [[[1.0, 50.0], [1.00001, 50.000001], [1.5, 50.0], [1.5, 50.5], [1.0, 50.5], [1.0, 50.0]]]


def _feature(properties, polygon=SQUARE):
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Polygon", "coordinates": polygon},
    }


def _write_json(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def reference(tmp_path):
    """Two régions, three EPCIs (one mostly in Normandie), a commune outside any EPCI, an EPT."""
    data = tmp_path / "decoupage-administratif-6.0.0" / "data"
    _write_json(
        data / "regions.json",
        [
            {"code": "32", "nom": "Hauts-de-France", "zone": "metro"},
            {"code": "28", "nom": "Normandie", "zone": "metro"},
            {"code": "11", "nom": "Île-de-France", "zone": "metro"},
            {"code": "975", "nom": "Saint-Pierre-et-Miquelon", "zone": "com"},
        ],
    )
    _write_json(
        data / "departements.json",
        [
            {"code": "59", "nom": "Nord", "region": "32", "zone": "metro"},
            {"code": "76", "nom": "Seine-Maritime", "region": "28", "zone": "metro"},
            {"code": "93", "nom": "Seine-Saint-Denis", "region": "11", "zone": "metro"},
        ],
    )

    def commune(code, name, dep, siren):
        return {
            "code": code,
            "nom": name,
            "departement": dep,
            "type": "commune-actuelle",
            "population": 1000,
            "siren": siren,
        }

    _write_json(
        data / "communes.json",
        [
            commune("59350", "Lille", "59", "215903501"),
            commune("59017", "Armentières", "59", "215900176"),
            commune("76217", "Dieppe", "76", "217602175"),
            commune("76255", "Eu", "76", "217602555"),
            commune("59001", "Abancourt", "59", "215900010"),
            commune("93066", "Saint-Denis", "93", "219300662"),
        ],
    )

    def epci(code, name, kind, members):
        return {
            "code": code,
            "nom": name,
            "type": kind,
            "populationTotale": 2000,
            "membres": [{"code": m} for m in members],
        }

    _write_json(
        data / "epci.json",
        [
            epci("200093201", "Métropole Européenne de Lille", "METRO", ["59350", "59017"]),
            epci("200041960", "CC Pévèle-Carembault", "CC", ["59001"]),
            epci("200070944", "CC des Villes Sœurs", "CC", ["76255", "76217"]),
        ],
    )
    _write_json(
        data / "ept.json",
        [{"code": "200057990", "nom": "EPT Plaine Commune", "membres": [{"code": "93066"}]}],
    )
    _write_json(
        tmp_path / "territoires-industrie" / "polygone-4326_ti.geojson",
        {
            "type": "FeatureCollection",
            "features": [
                _feature(
                    {
                        "id_ti": "ti-3213",
                        "lib_ti": "Vallée de la Bresle - Vimeu",
                        "siren_groupement": "200070944,249999999",
                    }
                )
            ],
        },
    )
    phase2 = tmp_path / "territoires-industrie-phase2"
    features = [
        _feature({"id_territoire": "ti-3213", "lib_territoire": "SCOT Lille Métropole"}),
        # A territory of Normandie whose member lies mainly in Hauts-de-France.
        _feature({"id_territoire": "ti-2809", "lib_territoire": "Vallée de la Bresle\u00a0"}),
        _feature({"id_territoire": "ti-1101", "lib_territoire": "Plaine Commune"}),
    ]
    _write_json(phase2 / "ti_geom.geojson", {"type": "FeatureCollection", "features": features})
    rows = [
        ("ti-3213", "SCOT Lille Métropole", "200093201", "Métropole Européenne de Lille"),
        ("ti-3213", "SCOT Lille Métropole", "200041960", "CC Pévèle-Carembault"),
        ("ti-2809", "Vallée de la Bresle", "200070944", "CC des Villes Sœurs"),
        ("ti-2809", "Vallée de la Bresle", "215900176", "Armentières"),
        ("ti-1101", "Plaine Commune", "200057990", "EPT Plaine Commune"),
    ]
    with (phase2 / "ti_phase2_membres.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id_ti", "lib_ti", "siren_groupement", "lib_groupement"])
        writer.writerows(rows)
    return tmp_path


def test_second_phase_labels_keep_identifier_name_region_members_and_a_simplified_perimeter(
    reference,
):
    warnings = []
    data = build(reference, warn=warnings.append)
    labels = {row[0]: row for row in data["industry_labels_phase2"]}
    assert [row[0] for row in data["industry_labels_phase2"]] == ["ti-1101", "ti-2809", "ti-3213"]
    code, name, region, members, perimeter = labels["ti-3213"]
    assert (name, region) == ("SCOT Lille Métropole", "32")
    assert members == [["epci", "200041960"], ["epci", "200093201"]]
    assert perimeter["type"] == "MultiPolygon"
    # The point 1 m off the edge is gone, the others rounded to 4 decimals.
    assert perimeter["coordinates"] == [
        [[[1.0, 50.0], [1.5, 50.0], [1.5, 50.5], [1.0, 50.5], [1.0, 50.0]]]
    ]
    assert labels["ti-2809"][1] == "Vallée de la Bresle"  # the non-breaking space removed
    assert labels["ti-2809"][3] == [["epci", "200070944"], ["commune", "59017"]]
    assert labels["ti-1101"][3] == [["groupement", "200057990"]]
    # The first phase keeps its own rows under the same identifier.
    assert data["industry_labels"][0][:2] == ["ti-3213", "Vallée de la Bresle - Vimeu"]
    assert data["unresolved_label_members"] == ["ti-3213 249999999"]


def test_a_member_outside_the_region_of_the_identifier_is_reported(reference):
    warnings = []
    build(reference, warn=warnings.append)
    assert warnings == ["ti-2809 Vallée de la Bresle: région 28, but members (by région) {'32': 1}"]


def test_a_member_of_an_unknown_territory_stops_the_build(reference):
    path = reference / "territoires-industrie-phase2" / "ti_phase2_membres.csv"
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow(["ti-9999", "Nulle part", "200093201", "MEL"])
    with pytest.raises(ValueError, match="ti-9999"):
        build(reference, warn=lambda message: None)


def test_the_same_sources_give_the_same_bytes_wherever_the_file_is_written(reference, tmp_path):
    first, second = tmp_path / "a.json.gz", tmp_path / "other-name.json.gz"
    write(build(reference, warn=lambda message: None), first)
    write(build(reference, warn=lambda message: None), second)
    assert first.read_bytes() == second.read_bytes()
    with gzip.open(first, "rt", encoding="utf-8") as handle:
        assert json.load(handle)["regions"] == [
            ["11", "Île-de-France"],
            ["28", "Normandie"],
            ["32", "Hauts-de-France"],
        ]
