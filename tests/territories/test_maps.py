import math
import re

from territories.maps import (
    METROPOLE_BOUNDS,
    MapItem,
    Outline,
    area_map,
    bounds,
    country_map,
    fit_frame,
    path_data,
    representative_point,
    shape_map,
    simplify,
    svg_number,
)


def square(lon, lat, size=0.5):
    ring = [
        [lon, lat],
        [lon + size, lat],
        [lon + size, lat + size],
        [lon, lat + size],
        [lon, lat],
    ]
    return {"type": "MultiPolygon", "coordinates": [[ring]]}


def absolute_points(d):
    """The absolute points of a path written with relative moves (as path_data writes it)."""
    points, x, y = [], 0.0, 0.0
    for ring in d.split("z"):
        if not ring:
            continue
        numbers = [float(n) for n in ring.lstrip("m").split()]
        start = None
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            start = start or (x, y)
            points.append((x, y))
        x, y = start
    return points


def test_frame_scales_longitudes_by_the_cosine_of_the_latitude():
    frame = fit_frame((0, 40, 10, 50), width=1000, height=1000, latitude=46.5)
    x0, y0 = frame.point(0, 50)
    x1, y1 = frame.point(10, 40)
    assert y0 == 0 and math.isclose(y1, 1000)
    assert math.isclose((x1 - x0) / (y1 - y0), math.cos(math.radians(46.5)))


def test_north_is_up():
    frame = fit_frame(METROPOLE_BOUNDS, width=800, height=800, latitude=46.5)
    _, lille = frame.point(3.06, 50.63)
    _, marseille = frame.point(5.37, 43.30)
    assert lille < marseille


def test_path_data_round_trips_a_square_within_a_tenth_of_a_unit():
    frame = fit_frame((2, 46, 3, 47), width=100, height=100, latitude=46.5)
    d = path_data(square(2.25, 46.25), frame)
    assert d.startswith("m") and d.endswith("z")
    expected = [frame.point(lon, lat) for lon, lat in square(2.25, 46.25)["coordinates"][0][0][:4]]
    for (x, y), (ex, ey) in zip(absolute_points(d), expected, strict=True):
        assert abs(x - ex) <= 0.051 and abs(y - ey) <= 0.051


def test_rings_smaller_than_the_tolerance_disappear():
    frame = fit_frame((0, 40, 10, 50), width=100, height=100)
    assert path_data(square(5, 45, size=0.0001), frame) == ""


def test_simplify_drops_points_on_a_straight_line_and_keeps_corners():
    line = [(0, 0), (1, 0.01), (2, 0), (3, 3)]
    assert simplify(line, 0.5) == [(0, 0), (2, 0), (3, 3)]


def test_empty_or_missing_geometries_have_no_bounds():
    assert bounds(None) is None
    assert bounds({"type": "MultiPolygon", "coordinates": []}) is None
    assert bounds(square(1, 2)) == (1, 2, 1.5, 2.5)


def test_country_map_puts_overseas_labels_in_insets_and_lists_undrawn_ones():
    items = [
        MapItem("lille", "Lille", "Hauts-de-France", square(3, 50.5)),
        MapItem("reunion", "Le Port", "La Réunion", square(55.3, -21)),
        MapItem("nouveau", "Nouveau", "Bretagne", None),
    ]
    result = country_map(items)
    assert [shape.slug for shape in result.shapes] == ["lille"]
    (inset,) = result.insets
    assert inset.caption == "La Réunion" and [s.slug for s in inset.shapes] == ["reunion"]
    assert result.undrawn == [("nouveau", "Nouveau")]
    # The insets sit under metropolitan France.
    assert max(y for _, y in absolute_points(result.shapes[0].d)) < inset.y


def test_shape_map_fits_one_perimeter():
    result = shape_map(square(2, 46), width=200, height=100)
    xs = [x for x, _ in absolute_points(result.d)]
    ys = [y for _, y in absolute_points(result.d)]
    assert 0 <= min(xs) and max(xs) <= 200 and 0 <= min(ys) and max(ys) <= 100
    assert shape_map(None) is None


def test_svg_numbers_have_a_point_and_at_most_one_decimal():
    assert svg_number(12.5) == "12.5"
    assert svg_number(150.0) == "150"
    assert svg_number(0.04) == "0"
    assert svg_number(-0.04) == "0"
    assert svg_number(-3.26) == "-3.3"
    assert svg_number(1234567.0) == "1234567"


REGIONS = [
    Outline("32", "Hauts-de-France", square(2, 49.5, size=1.5), (2.75, 50.25), "hauts-de-france"),
    Outline("44", "Grand Est", square(5, 48, size=2), (6, 49), "grand-est"),
    Outline("04", "La Réunion", square(55.2, -21.4, size=0.6), None, "la-reunion"),
    Outline("06", "Mayotte", square(45, -13, size=0.3), None, "mayotte"),
]


def test_country_map_draws_the_regions_under_the_labels_with_their_names():
    items = [MapItem("lille", "Lille", "Hauts-de-France", square(3, 50.5), "2018-2022")]
    result = country_map(items, regions=REGIONS)
    assert [shape.name for shape in result.base] == ["Hauts-de-France", "Grand Est"]
    assert result.base[0].slug == "hauts-de-france"
    # The name is written at the centre of the square, inside its drawing.
    drawn = absolute_points(result.base[0].d)
    xs, ys = [x for x, _ in drawn], [y for _, y in drawn]
    x, y = float(result.base[0].label_x), float(result.base[0].label_y)
    assert math.isclose(x, (min(xs) + max(xs)) / 2, abs_tol=0.2)
    assert math.isclose(y, (min(ys) + max(ys)) / 2, abs_tol=0.5)
    assert result.shapes[0].phase == "2018-2022"


def test_every_overseas_region_gets_a_framed_inset_even_without_labels():
    items = [MapItem("le-port", "Le Port", "La Réunion", square(55.3, -21, size=0.2))]
    result = country_map(items, regions=REGIONS)
    assert [inset.caption for inset in result.insets] == ["La Réunion", "Mayotte"]
    reunion, mayotte = result.insets
    assert [shape.slug for shape in reunion.shapes] == ["le-port"] and mayotte.shapes == []
    assert reunion.base[0].slug == "la-reunion" and mayotte.base
    # Side by side, apart, inside the map, and everything drawn inside its own frame.
    assert reunion.x + reunion.width < mayotte.x
    assert mayotte.x + mayotte.width <= result.width and reunion.y + reunion.height <= result.height
    for inset in result.insets:
        for shape in inset.base + inset.shapes:
            for px, py in absolute_points(shape.d):
                assert inset.x <= px <= inset.x + inset.width
                assert inset.y <= py <= inset.y + inset.height
        assert inset.y < float(inset.caption_y) < inset.y + inset.height


def test_inset_frames_are_written_as_svg_numbers():
    result = country_map([], regions=REGIONS)
    for inset in result.insets:
        for value in [*inset.box.values(), inset.caption_x, inset.caption_y]:
            assert isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d)?", value)


def crescent():
    """A C open to the east: its bounding box's centre lies in the opening."""
    ring = [[0, 0], [3, 0], [3, 1], [1, 1], [1, 2], [3, 2], [3, 3], [0, 3], [0, 0]]
    return {"type": "Polygon", "coordinates": [ring]}


def _inside(point, ring):
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def test_a_representative_point_lies_inside_the_shape_away_from_its_border():
    point = representative_point(crescent())
    assert _inside(point, crescent()["coordinates"][0])
    # Half the C's thickness from its border (its arms and back are 1 wide), where the centre of
    # its box (1.5, 1.5) is outside it.
    x, y = point
    assert min(x, y, 3 - y, abs(x - 3) if y < 1 or y > 2 else abs(x - 1)) >= 0.45
    assert representative_point(None) is None


def test_a_representative_point_is_in_the_largest_polygon():
    geometry = {
        "type": "MultiPolygon",
        "coordinates": [square(0, 0, 0.1)["coordinates"][0], square(5, 5, 2)["coordinates"][0]],
    }
    x, y = representative_point(geometry)
    assert 5 < x < 7 and 5 < y < 7


def test_area_map_frames_the_region_and_a_label_reaching_over_its_border():
    region = Outline("32", "Hauts-de-France", square(2, 49, size=2), None)
    departements = [
        Outline("59", "Nord", square(2, 50, size=1), (2.5, 50.5), "nord"),
        Outline("62", "Pas-de-Calais", square(2, 49, size=1), (2.5, 49.5), "pas-de-calais"),
    ]
    label = MapItem("bresle", "Bresle", "Hauts-de-France", square(1.6, 49.2, size=0.6), "x")
    neighbour = MapItem("lille", "Lille", "Hauts-de-France", square(3, 50.5, size=0.4), "x")
    result = area_map(region, departements, [neighbour, label], highlight=label)
    assert result.highlight.slug == "bresle" and result.highlight.label_x
    assert [shape.slug for shape in result.shapes] == ["lille"]  # the highlighted one apart
    assert [d.name for d in result.departements] == ["Nord", "Pas-de-Calais"]
    for shape in [result.highlight, *result.shapes, *result.departements]:
        for px, py in absolute_points(shape.d):
            assert 0 <= px <= result.width and 0 <= py <= result.height


def test_area_map_leaves_out_names_that_would_cover_each_other():
    region = Outline("44", "Grand Est", square(5, 48, size=2), None)
    # Two small shapes side by side: both names cannot be written.
    items = [
        MapItem("a", "Un nom de territoire assez long", "", square(5.9, 49, size=0.1), "x"),
        MapItem("b", "Un autre nom tout aussi long", "", square(6.0, 49, size=0.1), "x"),
    ]
    result = area_map(region, [], items)
    named = [shape for shape in result.shapes if shape.label_x]
    assert len(result.shapes) == 2 and len(named) == 1
