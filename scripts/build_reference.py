"""Derive the compact reference file shipped in territories/data/ from the official sources.

Run once when the sources change (not at run time, and not on a user's machine):

    python scripts/build_reference.py ../shared/reference

Inputs: Etalab's "découpage administratif" 6.0.0 JSON files and the ANCT lists and perimeters of
the Territoires d'industrie of both phases (2018–2022 and 2023–2027). Output:
territories/data/reference.json.gz, holding only the fields the project uses, with perimeters
simplified (Douglas–Peucker, ~300 m) for the map. What the sources disagree on (a label's région
and its members' régions, members that no longer exist) is printed on standard error.
"""

import argparse
import csv
import gzip
import json
import sys
from collections import Counter
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


def _member_resolver(epci_codes, commune_by_siren, ept_codes):
    """A member SIREN as ``[kind, code]``, or None when no current territory has it.

    Members are mostly EPCIs (SIREN), sometimes single communes (their SIREN too, turned into
    the INSEE code) or an EPT of the Métropole du Grand Paris."""

    def resolve(siren):
        if siren in epci_codes:
            return ["epci", siren]
        if siren in commune_by_siren:
            return ["commune", commune_by_siren[siren]]
        if siren in ept_codes:
            return ["groupement", siren]
        return None

    return resolve


def first_phase_labels(perimeters: dict, resolve) -> tuple[list, list]:
    labels, unresolved = [], []
    for feature in perimeters["features"]:
        props = feature["properties"]
        members = []
        for siren in (props.get("siren_groupement") or "").split(","):
            siren = siren.strip()
            member = resolve(siren) if siren else None
            if member:
                members.append(member)
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
    return labels, unresolved


def second_phase_labels(
    features: list[dict],
    member_rows: list[dict],
    resolve,
    member_region,
    region_codes: set[str],
    warn,
) -> tuple[list, list]:
    """The 2023–2027 labels as ``[code, name, région, members, perimeter]``.

    ``features`` are ANCT's perimeters (``id_territoire``, ``lib_territoire``), ``member_rows``
    the flattened member list (``id_ti``, ``siren_groupement``). The source has no région: the
    identifier's first two digits are the région code (``ti-3213`` → 32). That is checked
    against the région of each member (``member_region``), and every disagreement is reported
    through ``warn``: a territory may reach across a régional border, and keeps the région of
    its identifier.
    """
    members_of: dict[str, list[str]] = {}
    for row in member_rows:
        members_of.setdefault(row["id_ti"], []).append(row["siren_groupement"].strip())
    labels, unresolved = [], []
    for feature in features:
        props = feature["properties"]
        code = props["id_territoire"]
        # 8 published names end in a non-breaking space: str.strip() removes it too.
        name = props["lib_territoire"].strip()
        region = code.split("-")[1][:2]
        if region not in region_codes:
            raise ValueError(f"{code}: no région {region}")
        members, regions = [], Counter()
        for siren in sorted(members_of.pop(code, [])):
            member = resolve(siren)
            if member is None:
                unresolved.append(f"{code} {siren}")
                continue
            members.append(member)
            regions[member_region(member)] += 1
        if not members:
            raise ValueError(f"{code}: no member")
        others = {r: n for r, n in sorted(regions.items()) if r != region}
        if others:
            warn(f"{code} {name}: région {region}, but members (by région) {others}")
        labels.append([code, name, region, members, simplify_geometry(feature["geometry"])])
    if members_of:
        raise ValueError(f"members of unknown territories: {sorted(members_of)}")
    return sorted(labels, key=lambda label: label[0]), unresolved


def _read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _warn(message: str) -> None:
    sys.stderr.write(f"{message}\n")


def build(reference: Path, warn=_warn) -> dict:
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
    resolve = _member_resolver({e[0] for e in epcis}, commune_by_siren, {e[0] for e in epts})
    labels, unresolved = first_phase_labels(perimeters, resolve)

    region_of_departement = {d[0]: d[2] for d in departements}
    departement_of_commune = {c[0]: c[2] for c in communes}
    communes_of = {e[0]: e[4] for e in epcis} | {e[0]: e[2] for e in epts}

    def member_region(member):
        """The région the loader gives a member: that of its département with most communes."""
        kind, code = member
        codes = [code] if kind == "commune" else communes_of[code]
        weights = Counter(departement_of_commune[c] for c in codes)
        main = max(sorted(weights), key=weights.get)
        return region_of_departement[main]

    phase2 = reference / "territoires-industrie-phase2"
    second_phase, second_unresolved = second_phase_labels(
        json.loads((phase2 / "ti_geom.geojson").read_text(encoding="utf-8"))["features"],
        _read_csv(phase2 / "ti_phase2_membres.csv"),
        resolve,
        member_region,
        {r[0] for r in regions},
        warn,
    )
    for missing in second_unresolved:
        warn(f"second phase: no current territory for member {missing}")
    return {
        "provenance": {
            "decoupage_administratif": "Etalab @etalab/decoupage-administratif 6.0.0 "
            "(code MIT, données Licence Ouverte 2.0)",
            "territoires_industrie": "ANCT, programme Territoires d'industrie, phase 1 "
            "(Licence Ouverte 2.0), périmètres via anct-carto/superposeur-V2",
            "territoires_industrie_phase2": "ANCT, programme Territoires d'industrie, phase 2 "
            "(2023–2027), data.gouv.fr, mise à jour du 4 juillet 2024 (Licence Ouverte 2.0), "
            "via anct-carto/superposeur-anct",
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
        "industry_labels_phase2": second_phase,
    }


def write(data: dict, output: Path) -> None:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # mtime=0 and no file name in the header: the same sources give the same bytes, wherever
    # the file is written.
    with (
        output.open("wb") as raw,
        gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=9, mtime=0) as handle,
    ):
        handle.write(payload)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("reference", type=Path, help="the folder holding the official sources")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    write(build(args.reference), args.output)


if __name__ == "__main__":
    main()
