"""Draw Territoire d'industrie perimeters as SVG paths, without any GIS library.

The perimeters are simplified GeoJSON (Multi)Polygons in WGS84. At the scale of a country an
equirectangular projection whose longitudes are scaled by the cosine of a middle latitude
(46.5° for metropolitan France) keeps the shapes recognisable; overseas territories get their own
small frames (insets), the way printed maps of France show them.

Pure functions: geometry in, path strings and plain dataclasses out.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

# Longitude/latitude box of metropolitan France, Corsica included.
METROPOLE_BOUNDS = (-5.3, 41.3, 9.7, 51.15)
METROPOLE_LATITUDE = 46.5

MAP_WIDTH = 1000
INSET_COLUMN = 170
INSET_GAP = 12
INSET_CAPTION = 18
# Simplification tolerance in SVG units (the map is 1,000 units wide).
TOLERANCE = 0.7

Bounds = tuple[float, float, float, float]


@dataclass(frozen=True)
class Frame:
    """Projects (lon, lat) into SVG user units."""

    lon_min: float
    lat_max: float
    scale_x: float
    scale_y: float
    offset_x: float
    offset_y: float

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            self.offset_x + (lon - self.lon_min) * self.scale_x,
            self.offset_y + (self.lat_max - lat) * self.scale_y,
        )


def fit_frame(
    bounds: Bounds,
    *,
    width: float,
    height: float,
    x: float = 0,
    y: float = 0,
    latitude: float | None = None,
    padding: float = 0,
) -> Frame:
    """The largest frame showing ``bounds`` centred in the box (x, y, width, height)."""
    lon_min, lat_min, lon_max, lat_max = bounds
    if latitude is None:
        latitude = (lat_min + lat_max) / 2
    shrink = math.cos(math.radians(latitude))
    span_x = max((lon_max - lon_min) * shrink, 1e-9)
    span_y = max(lat_max - lat_min, 1e-9)
    scale = min((width - 2 * padding) / span_x, (height - 2 * padding) / span_y)
    return Frame(
        lon_min=lon_min,
        lat_max=lat_max,
        scale_x=scale * shrink,
        scale_y=scale,
        offset_x=x + (width - span_x * scale) / 2,
        offset_y=y + (height - span_y * scale) / 2,
    )


def polygons(geometry: dict | None) -> list[list[list[list[float]]]]:
    """The polygons (lists of rings) of a GeoJSON Polygon or MultiPolygon; [] otherwise."""
    if not geometry:
        return []
    coordinates = geometry.get("coordinates") or []
    match geometry.get("type"):
        case "Polygon":
            return [coordinates]
        case "MultiPolygon":
            return [polygon for polygon in coordinates if polygon]
    return []


def bounds(geometry: dict | None) -> Bounds | None:
    points = [point for polygon in polygons(geometry) for ring in polygon for point in ring]
    if not points:
        return None
    lons = [point[0] for point in points]
    lats = [point[1] for point in points]
    return (min(lons), min(lats), max(lons), max(lats))


def merge_bounds(boxes: Iterable[Bounds]) -> Bounds | None:
    boxes = list(boxes)
    if not boxes:
        return None
    return (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker: drop the points closer than ``tolerance`` to the simplified line."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            px, py = points[index]
            if length:
                gap = abs(dy * (px - x1) - dx * (py - y1)) / length
            else:
                gap = math.hypot(px - x1, py - y1)
            if gap > distance:
                farthest, distance = index, gap
        if farthest is not None:
            keep[farthest] = True
            stack.append((first, farthest))
            stack.append((farthest, last))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def path_data(geometry: dict | None, frame: Frame, tolerance: float = TOLERANCE) -> str:
    """A compact SVG path (``d`` attribute) of the geometry.

    Rings are projected, simplified to ``tolerance`` SVG units, snapped to a tenth of a unit and
    written as relative moves; rings that shrink below a triangle disappear.
    """
    commands = []
    cursor = (0, 0)  # in tenths of a unit, so that relative moves never accumulate rounding
    for polygon in polygons(geometry):
        for ring in polygon:
            projected = [frame.point(lon, lat) for lon, lat, *_ in ring]
            kept: list[tuple[int, int]] = []
            for x, y in simplify(projected, tolerance):
                snapped = (round(x * 10), round(y * 10))
                if not kept or snapped != kept[-1]:
                    kept.append(snapped)
            if len(kept) > 1 and kept[0] == kept[-1]:
                kept.pop()
            if len(kept) < 3:
                continue
            moves = [f"m{_tenths(kept[0][0] - cursor[0])} {_tenths(kept[0][1] - cursor[1])}"]
            moves.extend(
                f"{_tenths(x2 - x1)} {_tenths(y2 - y1)}"
                for (x1, y1), (x2, y2) in itertools.pairwise(kept)
            )
            commands.append(" ".join(moves) + "z")
            # After "z" the current point is the start of the ring.
            cursor = kept[0]
    return "".join(commands)


def _tenths(value: int) -> str:
    sign = "-" if value < 0 else ""
    units, tenths = divmod(abs(value), 10)
    return f"{sign}{units}.{tenths}" if tenths else f"{sign}{units}"


def is_metropolitan(box: Bounds) -> bool:
    lon_min, lat_min, lon_max, lat_max = METROPOLE_BOUNDS
    centre_lon = (box[0] + box[2]) / 2
    centre_lat = (box[1] + box[3]) / 2
    return lon_min <= centre_lon <= lon_max and lat_min <= centre_lat <= lat_max


@dataclass(frozen=True)
class MapItem:
    """A label to draw: what the map needs, nothing from the database."""

    slug: str
    name: str
    group: str
    geometry: dict | None


@dataclass(frozen=True)
class MapShape:
    slug: str
    name: str
    d: str


@dataclass(frozen=True)
class Inset:
    caption: str
    x: float
    y: float
    width: float
    height: float
    shapes: list[MapShape] = field(default_factory=list)

    @property
    def caption_x(self) -> str:
        return _number(self.x + 6)

    @property
    def caption_y(self) -> str:
        return _number(self.y + INSET_CAPTION - 4)


@dataclass(frozen=True)
class CountryMap:
    width: int
    height: int
    shapes: list[MapShape]
    insets: list[Inset]
    # Labels without a perimeter: (slug, name), listed under the map.
    undrawn: list[tuple[str, str]]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def country_map(items: Iterable[MapItem], tolerance: float = TOLERANCE) -> CountryMap:
    """Metropolitan France on the right, one inset per overseas group in a left column."""
    metropole_width = MAP_WIDTH - INSET_COLUMN
    frame = fit_frame(
        METROPOLE_BOUNDS,
        width=metropole_width,
        height=10_000,
        latitude=METROPOLE_LATITUDE,
    )
    height = math.ceil((METROPOLE_BOUNDS[3] - METROPOLE_BOUNDS[1]) * frame.scale_y)
    frame = fit_frame(
        METROPOLE_BOUNDS,
        width=metropole_width,
        height=height,
        x=INSET_COLUMN,
        latitude=METROPOLE_LATITUDE,
    )

    shapes: list[MapShape] = []
    overseas: dict[str, list[tuple[MapItem, Bounds]]] = {}
    undrawn: list[tuple[str, str]] = []
    for item in items:
        box = bounds(item.geometry)
        if box is None:
            undrawn.append((item.slug, item.name))
        elif is_metropolitan(box):
            d = path_data(item.geometry, frame, tolerance)
            if d:
                shapes.append(MapShape(item.slug, item.name, d))
            else:
                undrawn.append((item.slug, item.name))
        else:
            overseas.setdefault(item.group, []).append((item, box))

    insets = []
    if overseas:
        count = len(overseas)
        box_height = min(150.0, (height - INSET_GAP * (count - 1)) / count)
        for index, (caption, members) in enumerate(sorted(overseas.items())):
            top = index * (box_height + INSET_GAP)
            inset_frame = fit_frame(
                merge_bounds(box for _, box in members),
                width=INSET_COLUMN - 10,
                height=box_height - INSET_CAPTION,
                y=top + INSET_CAPTION,
                padding=6,
            )
            inset_shapes = []
            for item, _ in members:
                d = path_data(item.geometry, inset_frame, tolerance / 2)
                if d:
                    inset_shapes.append(MapShape(item.slug, item.name, d))
                else:
                    undrawn.append((item.slug, item.name))
            insets.append(
                Inset(
                    caption,
                    0,
                    round(top, 1),
                    INSET_COLUMN - 10,
                    round(box_height, 1),
                    shapes=inset_shapes,
                )
            )
    return CountryMap(
        width=MAP_WIDTH,
        height=height,
        shapes=shapes,
        insets=insets,
        undrawn=sorted(undrawn, key=lambda pair: pair[1]),
    )


@dataclass(frozen=True)
class ShapeMap:
    width: int
    height: int
    d: str

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def shape_map(geometry: dict | None, *, width: int = 480, height: int = 360) -> ShapeMap | None:
    """One perimeter fitted in its own box (a label page)."""
    box = bounds(geometry)
    if box is None:
        return None
    frame = fit_frame(box, width=width, height=height, padding=12)
    d = path_data(geometry, frame, tolerance=0.3)
    return ShapeMap(width, height, d) if d else None
