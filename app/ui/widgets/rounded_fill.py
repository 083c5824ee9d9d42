"""RoundedFill: the filled rounded rectangle of every card, button and tile, drawn as the same
shape as Kivy's RoundedRectangle, pixel for pixel, at about half its cost on software GL.

Kivy draws a RoundedRectangle as one fan of about forty long, thin triangles from its centre to
its edge. Software GL (llvmpipe) shades a triangle block by block, and a block that a triangle
only partly covers costs as much as a whole one: a fan shades most blocks of the shape several
times over. A 100x100 button took 0.23 ms of CPU a frame more than a plain rectangle of the
same size; one frame of Settings, with its cards and 39 buttons, 10 ms more.

RoundedFill keeps the outline's points, the very floats Kivy computes (its draw_arc, step for
step), and fills them otherwise: a small fan in each corner, about its own centre, and five
rectangles between the corners. The pieces share their edges exactly, so each pixel is covered
once, as before (tests/ui/test_rounded_fill.py compares the two in an Fbo). Unlike Kivy's, it
draws nothing at zero width or height (Kivy kept its previous shape, kivy/kivy#6056).

It answers pos, size and radius (a number for every corner, or four, top left first, clockwise;
a corner may be (x radius, y radius)), each corner in 10 segments as Kivy's default. Changes are
gathered and the points computed once, as the next frame is painted, as Kivy does for its own
shapes.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Sequence
from operator import methodcaller
from typing import Any

from kivy.graphics import Mesh

from app.ui.as_painted import AsPainted

SEGMENTS = 10
# Where each corner's arc starts and which sides of the rectangle it touches (Kivy's order:
# top left, top right, bottom right, bottom left; the arc runs 90 degrees clockwise).
CORNERS = ((180, 0, 1), (90, 1, 1), (0, 1, 0), (-90, 0, 0))


def _unit_arc(start_degrees: float) -> list[tuple[float, float]]:
    """Kivy's RoundedRectangle.draw_arc on the unit circle, operation for operation: the same
    rounding gives the same points."""
    start = start_degrees * 0.017453292519943295
    end = (start_degrees - 90) * 0.017453292519943295
    theta = (end - start) / SEGMENTS
    tangential, radial = math.tan(theta), math.cos(theta)
    x, y = math.cos(start), math.sin(start)
    points = []
    for _ in range(SEGMENTS):
        points.append((x, y))
        x, y = x - y * tangential, y + x * tangential
        x *= radial
        y *= radial
    return points


ARCS = [_unit_arc(start) for start, _, _ in CORNERS]


def _float32(values: Sequence[float]) -> tuple[float, ...]:
    """As Kivy's shapes keep their place and size: in single precision."""
    return tuple(array("f", values))


def _single(value: float) -> float:
    return array("f", (value,))[0]


def _corner_radii(radius: Sequence) -> list[tuple[float, float]]:
    """Kivy's reading of `radius`: four corners, or the first for all of them; a corner is a
    number or an (x radius, y radius) pair, and anything else is passed over."""
    corners = [
        (value[0], value[1] if len(value) > 1 else value[0])
        if isinstance(value, tuple) and value
        else (value, value)
        for value in radius
        if isinstance(value, (int, float)) or (isinstance(value, tuple) and value)
    ]
    if not corners:
        raise ValueError(f"a RoundedFill's radius needs a number: {radius!r}")
    return corners[:4] if len(corners) >= 4 else corners[:1] * 4


class _ShapeValue:
    """A place, size or radius of a RoundedFill: kept as Kivy reads it, and a change only when
    it differs (kv sets a value again whenever anything its rule reads changes)."""

    def __init__(self, read: Callable[[Sequence], Any]) -> None:
        self.read = read

    def __set_name__(self, owner: type, name: str) -> None:
        self.attribute = f"_{name}"

    def __get__(self, shape: RoundedFill | None, owner: type | None = None) -> Any:
        return self if shape is None else getattr(shape, self.attribute)

    def __set__(self, shape: RoundedFill, value: Sequence) -> None:
        value = self.read(value)
        if getattr(shape, self.attribute, None) != value:
            setattr(shape, self.attribute, value)
            shape._changed()


class RoundedFill(Mesh):
    pos = _ShapeValue(_float32)
    size = _ShapeValue(_float32)
    radius = _ShapeValue(_corner_radii)

    def __init__(
        self,
        pos: Sequence[float] = (0, 0),
        size: Sequence[float] = (100, 100),
        radius: Sequence = (10,),
        **kwargs,
    ) -> None:
        super().__init__(mode="triangles", **kwargs)
        self.pos, self.size, self.radius = pos, size, radius

    def _changed(self) -> None:
        computing.ask(self)
        # A frame to paint it in, even if nothing else changed; none while it is not on screen.
        self.flag_update()

    def compute(self) -> None:
        """Its points and triangles, from its place, size and radius."""
        corners = self._corners()
        if not corners:
            self.vertices, self.indices = [], []
            return
        if len({radius for radius, _, _ in corners if radius}) <= 1:
            points, indices = _fans_and_strips(corners)
        else:  # corners of different radii: Kivy's own fan, over the same outline
            x, y = self._pos
            width, height = self._size
            points = [(x + width / 2, y + height / 2)]
            points += [point for _, _, arc in corners for point in arc]
            indices = [i for p in range(1, len(points)) for i in (0, p, p % (len(points) - 1) + 1)]
        self.vertices = [value for point in points for value in (*point, 0, 0)]
        self.indices = indices

    def outline(self) -> list[tuple[float, float]]:
        """The points around its edge, as Kivy's RoundedRectangle.points: the same floats."""
        return [point for _, _, arc in self._corners() for point in arc]

    def _corners(self) -> list:
        x, y = self._pos
        width, height = self._size
        if not width or not height:
            return []
        return [
            _corner(x, y, width, height, sides, arc, radius)
            for sides, arc, radius in zip(CORNERS, ARCS, self._radius, strict=True)
        ]


def _corner(x, y, width, height, sides, arc, radius):
    """((x radius, y radius) or None, the centre of the corner's arc, the arc's points): a
    square corner is its one point, as Kivy draws it. Kivy adds its place and size, single
    floats, in single precision (x + width, y + height) where it adds them before a radius."""
    _, right, top = sides
    rx, ry = min(radius[0], width / 2), min(radius[1], height / 2)
    if not (rx and ry):
        point = (_single(x + width * right), _single(y + height * top))
        return None, point, [point]
    cx = _single(x + width) - rx if right else x + rx
    cy = _single(y + height) - ry if top else y + ry
    points = [(cx + unit_x * rx, cy + unit_y * ry) for unit_x, unit_y in arc]
    # Kivy ends each arc on the side it meets, computed so, not by the arc's last step.
    points.append((x + width * right, cy) if right == top else (cx, y + height * top))
    return (rx, ry), (cx, cy), points


def _fans_and_strips(corners) -> tuple[list, list[int]]:
    """A small fan in each round corner about its centre, and the rectangles between the
    corners' centres and the sides: where every round corner has the same radius, they tile
    the outline exactly."""
    points: list[tuple[float, float]] = []
    indices: list[int] = []
    centres, arc_ends = [], []
    for radius, centre, arc in corners:
        if radius is None:
            centres.append(len(points))
            arc_ends.append((len(points), len(points)))
            points += arc
            continue
        centres.append(len(points))
        points.append(centre)
        first = len(points)
        points += arc
        for point in range(first, len(points) - 1):
            indices += (centres[-1], point, point + 1)
        arc_ends.append((first, len(points) - 1))
    top_left, top_right, bottom_right, bottom_left = centres
    (tl_first, tl_last), (tr_first, tr_last), (br_first, br_last), (bl_first, bl_last) = arc_ends
    for a, b, c, d in (
        (top_left, top_right, bottom_right, bottom_left),  # between the corners' centres
        (tl_last, tr_first, top_right, top_left),  # along the top
        (top_right, tr_last, br_first, bottom_right),  # along the right
        (bottom_left, bottom_right, br_last, bl_first),  # along the bottom
        (tl_first, top_left, bottom_left, bl_last),  # along the left
    ):
        indices += (a, b, c, a, c, d)
    return points, indices


# Computed as the frame is painted, once the kv rules have moved the shapes; run it by hand
# before drawing into an Fbo outside the window's frame.
computing: AsPainted[RoundedFill] = AsPainted(methodcaller("compute"))
