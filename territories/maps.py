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
# Overseas régions: a row of frames under metropolitan France, captions above each drawing,
# large enough to stay readable when the map is shrunk to the width of a phone.
INSET_GAP = 12
OVERSEAS_SLOTS = 5  # Guadeloupe, Martinique, Guyane, La Réunion, Mayotte
INSET_HEIGHT = 200
INSET_CAPTION = 44
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


def svg_number(value: float) -> str:
    """A number for an SVG attribute: a point, never the locale's comma, one decimal at most.

    Templates localise floats (``150,0`` under ``fr``), which SVG cannot read: every number the
    map templates write is a string made here.
    """
    text = f"{value:.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


def _ring_distance(x: float, y: float, ring: list) -> float:
    best = math.inf
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        dx, dy = x2 - x1, y2 - y1
        length2 = dx * dx + dy * dy
        t = 0.0 if not length2 else ((x - x1) * dx + (y - y1) * dy) / length2
        t = 0.0 if t < 0 else 1.0 if t > 1 else t
        ex, ey = x - x1 - t * dx, y - y1 - t * dy
        distance = ex * ex + ey * ey
        if distance < best:
            best = distance
    return math.sqrt(best)


def _inside(x: float, y: float, rings: list) -> bool:
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in itertools.pairwise(ring):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def representative_point(geometry: dict | None, steps: int = 6) -> tuple[float, float] | None:
    """A point well inside the largest polygon, where a name can be written.

    The centre of the bounding box falls outside a crescent or a coast with a bay: this looks
    for the inside point farthest from the border on a grid, then on finer grids around the
    best one (an approximation of the pole of inaccessibility). Longitudes are shrunk by the
    cosine of the latitude, as on the map.
    """
    candidates = polygons(geometry)
    if not candidates:
        return None
    box = bounds(geometry)
    shrink = math.cos(math.radians((box[1] + box[3]) / 2))

    # A coarse copy of each ring (a sixtieth of the shape’s size) is precise enough to
    # place a name, and keeps the search cheap on detailed perimeters.
    coarse = max((box[2] - box[0]) * shrink, box[3] - box[1]) / 60

    def scaled(polygon):
        rings = []
        for ring in polygon:
            points = simplify([(x * shrink, y) for x, y, *_ in ring], coarse)
            if len(points) > 3:
                rings.append(points)
        return rings

    def area(rings):
        ring = rings[0]
        return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring)))

    rings = max((scaled(polygon) for polygon in candidates), key=lambda r: area(r) if r else 0)
    if not rings:
        return ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
    xs = [x for x, _ in rings[0]]
    ys = [y for _, y in rings[0]]
    left, bottom, right, top = min(xs), min(ys), max(xs), max(ys)
    best = ((left + right) / 2, (bottom + top) / 2)
    best_distance = -1.0
    width, height = right - left, top - bottom
    for _ in range(3):
        for i in range(steps + 1):
            for j in range(steps + 1):
                x, y = left + width * i / steps, bottom + height * j / steps
                if not _inside(x, y, rings):
                    continue
                distance = min(_ring_distance(x, y, ring) for ring in rings)
                if distance > best_distance:
                    best, best_distance = (x, y), distance
        # Look again around the best point, on a grid three times finer.
        width, height = width / 3, height / 3
        left, bottom = best[0] - width / 2, best[1] - height / 2
    if best_distance < 0:  # a sliver no grid point falls into: its first vertex
        best = rings[0][0]
    return (best[0] / shrink, best[1])


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
    group: str  # the name of its région: an overseas label goes in that région's inset
    geometry: dict | None
    phase: str = ""


@dataclass(frozen=True)
class Outline:
    """A région or a département of the base map (``territories/data/outlines.json.gz``)."""

    code: str
    name: str
    geometry: dict
    label_point: tuple[float, float] | None = None
    slug: str = ""  # the région's page, when there is one


@dataclass(frozen=True)
class MapShape:
    slug: str
    name: str
    d: str
    phase: str = ""
    # Where its name is written (SVG units, as text), when the map writes it.
    label_x: str = ""
    label_y: str = ""


@dataclass(frozen=True)
class Inset:
    """A frame holding an overseas région, with its caption above the drawing."""

    caption: str
    x: float
    y: float
    width: float
    height: float
    shapes: list[MapShape] = field(default_factory=list)
    base: list[MapShape] = field(default_factory=list)

    @property
    def box(self) -> dict[str, str]:
        return {
            "x": svg_number(self.x),
            "y": svg_number(self.y),
            "width": svg_number(self.width),
            "height": svg_number(self.height),
        }

    @property
    def caption_x(self) -> str:
        return svg_number(self.x + self.width / 2)

    @property
    def caption_y(self) -> str:
        return svg_number(self.y + INSET_CAPTION * 0.75)


@dataclass(frozen=True)
class CountryMap:
    width: int
    height: int
    shapes: list[MapShape]
    insets: list[Inset]
    # Labels without a perimeter: (slug, name), listed under the map.
    undrawn: list[tuple[str, str]]
    # The régions of metropolitan France under the labels, their names at ``label_x/y``.
    base: list[MapShape] = field(default_factory=list)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def _base_shape(outline: Outline, frame: Frame, tolerance: float) -> MapShape | None:
    d = path_data(outline.geometry, frame, tolerance)
    if not d:
        return None
    x = y = ""
    if outline.label_point:
        px, py = frame.point(*outline.label_point)
        x, y = svg_number(px), svg_number(py)
    return MapShape(outline.slug, outline.name, d, label_x=x, label_y=y)


def _inset_layout(count: int, top: float) -> list[tuple[float, float, float]]:
    """(x, y, width) of ``count`` frames side by side under metropolitan France, each as wide
    as one of the five overseas régions' frames, the row centred."""
    slots = max(count, OVERSEAS_SLOTS)
    width = (MAP_WIDTH - INSET_GAP * (slots - 1)) / slots
    left = (MAP_WIDTH - count * width - (count - 1) * INSET_GAP) / 2
    return [(left + index * (width + INSET_GAP), top, width) for index in range(count)]


def country_map(
    items: Iterable[MapItem],
    tolerance: float = TOLERANCE,
    *,
    regions: Iterable[Outline] = (),
) -> CountryMap:
    """Metropolitan France, then a row of frames for the overseas régions under it.

    ``regions`` are drawn as a base under the labels (their names at their label points); each
    overseas région gets its frame even when no label lies there, the way printed maps of
    France show them. Overseas labels go in the frame of their région (``MapItem.group``).
    """
    frame = fit_frame(METROPOLE_BOUNDS, width=MAP_WIDTH, height=10_000, latitude=METROPOLE_LATITUDE)
    metropole_height = math.ceil((METROPOLE_BOUNDS[3] - METROPOLE_BOUNDS[1]) * frame.scale_y)
    frame = fit_frame(
        METROPOLE_BOUNDS, width=MAP_WIDTH, height=metropole_height, latitude=METROPOLE_LATITUDE
    )

    base: list[MapShape] = []
    overseas_regions: dict[str, Outline] = {}
    for outline in regions:
        box = bounds(outline.geometry)
        if box is None:
            continue
        if is_metropolitan(box):
            shape = _base_shape(outline, frame, tolerance / 2)
            if shape:
                base.append(shape)
        else:
            overseas_regions[outline.name] = outline

    shapes: list[MapShape] = []
    overseas: dict[str, list[tuple[MapItem, Bounds]]] = {name: [] for name in overseas_regions}
    undrawn: list[tuple[str, str]] = []
    for item in items:
        box = bounds(item.geometry)
        if box is None:
            undrawn.append((item.slug, item.name))
        elif is_metropolitan(box):
            d = path_data(item.geometry, frame, tolerance)
            if d:
                shapes.append(MapShape(item.slug, item.name, d, item.phase))
            else:
                undrawn.append((item.slug, item.name))
        else:
            overseas.setdefault(item.group, []).append((item, box))

    insets = []
    top = metropole_height + INSET_GAP
    groups = sorted(overseas.items())
    box_height = INSET_HEIGHT
    for (caption, members), (x, y, width) in zip(
        groups, _inset_layout(len(groups), top) if groups else [], strict=True
    ):
        outline = overseas_regions.get(caption)
        boxes = [box for _, box in members]
        if outline is not None:
            boxes.append(bounds(outline.geometry))
        inset_frame = fit_frame(
            merge_bounds(boxes),
            width=width,
            height=box_height - INSET_CAPTION,
            x=x,
            y=y + INSET_CAPTION,
            padding=8,
        )
        inset_base = []
        if outline is not None:
            shape = _base_shape(
                Outline(outline.code, outline.name, outline.geometry, None, outline.slug),
                inset_frame,
                tolerance / 4,
            )
            if shape:
                inset_base.append(shape)
        inset_shapes = []
        for item, _ in members:
            d = path_data(item.geometry, inset_frame, tolerance / 2)
            if d:
                inset_shapes.append(MapShape(item.slug, item.name, d, item.phase))
            else:
                undrawn.append((item.slug, item.name))
        insets.append(
            Inset(
                caption,
                round(x, 1),
                round(y, 1),
                round(width, 1),
                box_height,
                shapes=inset_shapes,
                base=inset_base,
            )
        )
    height = math.ceil(top + box_height) if insets else metropole_height
    return CountryMap(
        width=MAP_WIDTH,
        height=height,
        shapes=shapes,
        insets=insets,
        undrawn=sorted(undrawn, key=lambda pair: pair[1]),
        base=base,
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
    """One perimeter fitted in its own box (a label page without a région to show it in)."""
    box = bounds(geometry)
    if box is None:
        return None
    frame = fit_frame(box, width=width, height=height, padding=12)
    d = path_data(geometry, frame, tolerance=0.3)
    return ShapeMap(width, height, d) if d else None


@dataclass(frozen=True)
class AreaMap:
    """A région (or the area of a label) and what lies in it, fitted in its own box."""

    width: int
    height: int
    outline: str  # the région's outline
    departements: list[MapShape]
    # Labels: the highlighted one (a label page) first drawn last, its neighbours faint.
    shapes: list[MapShape]
    highlight: MapShape | None = None

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def _boxes_overlap(a: tuple[float, float, float, float], b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def area_map(
    region: Outline,
    departements: Iterable[Outline],
    items: Iterable[MapItem],
    *,
    highlight: MapItem | None = None,
    width: int = 480,
    height: int = 400,
    name_size: float = 17,
) -> AreaMap | None:
    """A région with its départements as context and labels on it, names written in place.

    The frame holds the région and the highlighted label (a label may reach over the border).
    Names are written at a point inside each shape, largest shapes first; a name that would
    cover one already written is left to the list that goes with the map.
    """
    boxes = [bounds(region.geometry)]
    if highlight is not None:
        boxes.append(bounds(highlight.geometry))
    box = merge_bounds(b for b in boxes if b)
    if box is None:
        return None
    frame = fit_frame(box, width=width, height=height, padding=14)
    tolerance = 0.4
    placed: list[tuple[float, float, float, float]] = []
    written: set[str] = set()

    def place(name: str, x: float, y: float, size: float) -> bool:
        """Whether ``name`` fits at (x, y) without covering a name already written."""
        # About 0.6 em a character, with a margin: names must not touch.
        half = len(name) * size * 0.32 + 2
        extent = (x - half, y - size * 0.9, x + half, y + size * 0.4)
        inside = extent[0] >= 0 and extent[2] <= width and extent[1] >= 0 and extent[3] <= height
        if not inside or any(_boxes_overlap(extent, other) for other in placed):
            return False
        placed.append(extent)
        return True

    def named(item: MapItem, d: str, size: float) -> MapShape:
        point = representative_point(item.geometry)
        # The same name twice (a territory labelled in both phases) is written once.
        if point is not None and item.name not in written:
            x, y = frame.point(*point)
            if place(item.name, x, y, size):
                written.add(item.name)
                return MapShape(item.slug, item.name, d, item.phase, svg_number(x), svg_number(y))
        return MapShape(item.slug, item.name, d, item.phase)

    # Names in order of importance: the highlighted label, the départements, the labels.
    highlighted = None
    if highlight is not None:
        d = path_data(highlight.geometry, frame, tolerance)
        if d:
            highlighted = named(highlight, d, name_size * 1.3)
    departement_shapes = []
    for outline in departements:
        shape = _base_shape(outline, frame, tolerance)
        if shape is None:
            continue
        if shape.label_x and not place(
            shape.name, float(shape.label_x), float(shape.label_y), name_size * 0.9
        ):
            shape = MapShape(shape.slug, shape.name, shape.d)
        departement_shapes.append(shape)
    drawn = []
    for item in items:
        if highlight is not None and item.slug == highlight.slug:
            continue
        d = path_data(item.geometry, frame, tolerance)
        if d:
            drawn.append((item, d))
    # Larger shapes get their names first: a long path is a rough but cheap measure.
    drawn.sort(key=lambda pair: (-len(pair[1]), pair[0].name))
    # Around a highlighted label the others are context: their names are not written.
    shapes = sorted(
        (
            named(item, d, name_size)
            if highlight is None
            else MapShape(item.slug, item.name, d, item.phase)
            for item, d in drawn
        ),
        key=lambda shape: (shape.phase, shape.name),
    )
    return AreaMap(
        width=width,
        height=height,
        outline=path_data(region.geometry, frame, tolerance),
        departements=departement_shapes,
        shapes=shapes,
        highlight=highlighted,
    )
