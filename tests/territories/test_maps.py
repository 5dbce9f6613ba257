import math

from territories.maps import (
    METROPOLE_BOUNDS,
    MapItem,
    bounds,
    country_map,
    fit_frame,
    path_data,
    shape_map,
    simplify,
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
    # Metropolitan shapes sit right of the inset column.
    assert min(x for x, _ in absolute_points(result.shapes[0].d)) > inset.width


def test_shape_map_fits_one_perimeter():
    result = shape_map(square(2, 46), width=200, height=100)
    xs = [x for x, _ in absolute_points(result.d)]
    ys = [y for _, y in absolute_points(result.d)]
    assert 0 <= min(xs) and max(xs) <= 200 and 0 <= min(ys) and max(ys) <= 100
    assert shape_map(None) is None
