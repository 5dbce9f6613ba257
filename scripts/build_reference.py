"""Derive the compact reference file shipped in territories/data/ from the official sources.

Run once when the sources change (not at run time, and not on a user's machine):

    python scripts/build_reference.py ../shared/reference

Inputs: Etalab's "découpage administratif" 6.0.0 JSON files and the ANCT perimeters of the
first-phase Territoires d'industrie. Output: territories/data/reference.json.gz, holding only the
fields the project uses, with perimeters simplified (Douglas–Peucker, ~300 m) for the map.
"""

import argparse
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a plain script: make the project importable even where it is not installed.
sys.path.insert(0, str(ROOT))

# The map module is pure Python (no Django): the same Douglas–Peucker as the site's maps.
from territories.maps import simplify  # noqa: E402

# Régions and départements of France: metropolitan and overseas départements-régions.
# The overseas collectivities (COM) are outside the Territoires d'industrie programme.
KEPT_ZONES = {"metro", "drom"}
SIMPLIFY_TOLERANCE = 0.003  # degrees, about 300 m: invisible on a map of France
COORDINATE_DECIMALS = 4

OUTPUT = ROOT / "territories" / "data" / "reference.json.gz"


def _polygons(geometry):
    """The polygons of a geometry; points of a GeometryCollection carry no area and are left."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    if geometry["type"] == "GeometryCollection":
        return [p for part in geometry["geometries"] for p in _polygons(part)]
    return []


def simplify_geometry(geometry):
    polygons = _polygons(geometry)
    simplified = []
    for polygon in polygons:
        rings = []
        for ring in polygon:
            ring = simplify(ring, SIMPLIFY_TOLERANCE)
            if len(ring) < 4:  # a ring that collapses is smaller than the tolerance: drop it
                continue
            rings.append(
                [[round(x, COORDINATE_DECIMALS), round(y, COORDINATE_DECIMALS)] for x, y in ring]
            )
        if rings:
            simplified.append(rings)
    return {"type": "MultiPolygon", "coordinates": simplified}


def build(reference: Path) -> dict:
    data_dir = reference / "decoupage-administratif-6.0.0" / "data"

    def load(name):
        return json.loads((data_dir / name).read_text(encoding="utf-8"))

    regions = [[r["code"], r["nom"]] for r in load("regions.json") if r["zone"] in KEPT_ZONES]
    departements = [
        [d["code"], d["nom"], d["region"]]
        for d in load("departements.json")
        if d["zone"] in KEPT_ZONES
    ]
    kept_departements = {d[0] for d in departements}
    communes, former = [], []
    commune_by_siren = {}
    for c in load("communes.json"):
        if c.get("departement") not in kept_departements:
            continue
        if c["type"] == "commune-actuelle":
            communes.append([c["code"], c["nom"], c["departement"], c.get("population")])
            if c.get("siren"):
                commune_by_siren[c["siren"]] = c["code"]
        elif c["type"] in {"commune-deleguee", "commune-associee"} and c.get("chefLieu"):
            former.append([c["chefLieu"], c["nom"]])
    commune_codes = {c[0] for c in communes}
    epcis = [
        [
            e["code"],
            e["nom"],
            e["type"],
            e.get("populationTotale"),
            [m["code"] for m in e["membres"] if m["code"] in commune_codes],
        ]
        for e in load("epci.json")
    ]
    perimeters = json.loads(
        (reference / "territoires-industrie" / "polygone-4326_ti.geojson").read_text(
            encoding="utf-8"
        )
    )
    epts = [
        [e["code"], e["nom"], [m["code"] for m in e["membres"] if m["code"] in commune_codes]]
        for e in load("ept.json")
    ]
    epci_codes = {e[0] for e in epcis}
    ept_codes = {e[0] for e in epts}
    labels, unresolved = [], []
    for feature in perimeters["features"]:
        props = feature["properties"]
        members = []
        # Members are mostly EPCIs (SIREN) and sometimes single communes (their SIREN too).
        for siren in (props.get("siren_groupement") or "").split(","):
            siren = siren.strip()
            if siren in epci_codes:
                members.append(["epci", siren])
            elif siren in commune_by_siren:
                members.append(["commune", commune_by_siren[siren]])
            elif siren in ept_codes:
                members.append(["groupement", siren])
            elif siren:
                unresolved.append(f"{props['id_ti']} {siren}")
        labels.append(
            [
                props["id_ti"],
                props["lib_ti"].strip(),
                members,
                simplify_geometry(feature["geometry"]),
            ]
        )
    return {
        "provenance": {
            "decoupage_administratif": "Etalab @etalab/decoupage-administratif 6.0.0 "
            "(code MIT, données Licence Ouverte 2.0)",
            "territoires_industrie": "ANCT, programme Territoires d'industrie, phase 1 "
            "(Licence Ouverte 2.0), périmètres via anct-carto/superposeur-V2",
        },
        "regions": sorted(regions),
        "departements": sorted(departements),
        "epcis": sorted(epcis),
        "communes": sorted(communes),
        "former_communes": sorted(former),
        "epts": sorted(epts),
        "industry_labels": sorted(labels, key=lambda label: label[0]),
        # Members of 2019 labels that no longer exist (merged since): kept for the record.
        "unresolved_label_members": unresolved,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("reference", type=Path, help="the folder holding the official sources")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    data = build(args.reference)
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # mtime=0 keeps the file byte-identical when rebuilt from the same sources.
    with gzip.GzipFile(args.output, "wb", compresslevel=9, mtime=0) as handle:
        handle.write(payload)


if __name__ == "__main__":
    main()
