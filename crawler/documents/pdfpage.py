"""What pdfplumber's table finder needs from a PDF page — characters with boxes and ruling
edges — read with PDFium (C) instead of pdfminer (pure Python, ~5x slower on report PDFs).

Coordinates follow pdfplumber: points, origin at the top-left of the displayed page.
"""

from __future__ import annotations

import ctypes
import itertools
import math
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as raw

Obj = dict[str, Any]
#: A fill this light is a background: Word exports white boxes behind every line of text
#: (paragraph shading) and behind every table cell (seen on hongze-district-gov-2023.pdf).
#: Only the cell boxes help: they close a table cut by a page break, whose last rule is
#: missing. So light boxes count only inside the area of real (stroked or dark) rules.
_LIGHT = 235
_NEAR = 3.0
_AXIS_SLACK = 0.5
_MIN_EDGE = 1.0


@dataclass
class PageData:
    """Characters and edges of one page, as pdfplumber dicts; duck-types the parts of a
    pdfplumber ``Page`` that ``TableFinder`` reads (``chars``, ``edges``, ``bbox``)."""

    chars: list[Obj]
    edges: list[Obj]
    bbox: tuple[float, float, float, float]
    images: int

    def extract_words(self, **kwargs: Any) -> list[Obj]:
        from pdfplumber.utils.text import WordExtractor

        return WordExtractor(**kwargs).extract_words(self.chars)


class _Transform:
    """PDF user space → top-left origin of the page turned so that its text is upright.

    The turn comes from the text itself, not from the page's /Rotate: landscape tables are
    published both as sideways content on a rotated page and as upright content on a page
    rotated for printing.
    """

    def __init__(self, page: pdfium.PdfPage, rotation: int) -> None:
        left, bottom, right, top = page.get_cropbox()
        self.left, self.top = left, top
        self.width, self.height = right - left, top - bottom
        self.rotation = rotation

    @property
    def size(self) -> tuple[float, float]:
        return (self.height, self.width) if self.rotation in (90, 270) else (self.width, self.height)

    def point(self, x: float, y: float) -> tuple[float, float]:
        u, v = x - self.left, self.top - y
        if self.rotation == 90:
            return self.height - v, u
        if self.rotation == 180:
            return self.width - u, self.height - v
        if self.rotation == 270:
            return v, self.width - u
        return u, v

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        ax, ay = self.point(x0, y0)
        bx, by = self.point(x1, y1)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def read_page(page: pdfium.PdfPage) -> PageData:
    """Characters and ruling edges of ``page``."""
    textpage = page.get_textpage()
    try:
        transform = _Transform(page, _text_rotation(textpage))
        chars = _chars(textpage, transform)
    finally:
        textpage.close()
    width, height = transform.size
    edges: list[Obj] = []
    backgrounds: list[Obj] = []
    images = _walk_objects(page.raw, None, _identity(), transform, (edges, backgrounds), 0)
    if backgrounds and edges:
        areas = _areas(edges)
        edges.extend(e for e in backgrounds if any(_inside(e, area) for area in areas))
    return PageData(chars=chars, edges=edges, bbox=(0.0, 0.0, width, height), images=images)


def _areas(edges: list[Obj]) -> list[list[float]]:
    """Bounding boxes of groups of touching edges (the ruled areas of the page)."""
    areas = [[e["x0"] - _NEAR, e["top"] - _NEAR, e["x1"] + _NEAR, e["bottom"] + _NEAR] for e in edges]
    merged = True
    while merged:
        merged = False
        out: list[list[float]] = []
        for box in areas:
            for other in out:
                if box[0] <= other[2] and other[0] <= box[2] and box[1] <= other[3] and other[1] <= box[3]:
                    other[:] = [
                        min(box[0], other[0]),
                        min(box[1], other[1]),
                        max(box[2], other[2]),
                        max(box[3], other[3]),
                    ]
                    merged = True
                    break
            else:
                out.append(box)
        areas = out
    return areas


def _inside(edge: Obj, area: list[float]) -> bool:
    return (
        area[0] <= edge["x0"]
        and edge["x1"] <= area[2]
        and area[1] <= edge["top"]
        and edge["bottom"] <= area[3]
    )


def _text_rotation(textpage: pdfium.PdfTextPage) -> int:
    """The clockwise turn (0, 90, 180, 270) that makes most characters upright."""
    handle = textpage.raw
    votes = [0, 0, 0, 0]
    count = raw.FPDFText_CountChars(handle)
    for i in range(0, count, max(1, count // 200)):
        angle = raw.FPDFText_GetCharAngle(handle, i)
        if angle >= 0 and raw.FPDFText_GetUnicode(handle, i) > 32:
            votes[round(math.degrees(angle) / 90) % 4] += 1
    # PDFium's angle runs counter-clockwise; undoing it is the opposite (clockwise) turn
    return 90 * ((4 - max(range(4), key=votes.__getitem__)) % 4) if any(votes) else 0


def _chars(textpage: pdfium.PdfTextPage, transform: _Transform) -> list[Obj]:
    handle = textpage.raw
    rect = raw.FS_RECTF()
    tight = (ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double())
    chars: list[Obj] = []
    for i in range(raw.FPDFText_CountChars(handle)):
        if raw.FPDFText_IsGenerated(handle, i) == 1:
            continue
        code = raw.FPDFText_GetUnicode(handle, i)
        if code < 32 or code in (0xFFFE, 0xFFFF) or 0xD800 <= code <= 0xDFFF:
            continue
        if not raw.FPDFText_GetLooseCharBox(handle, i, rect):
            continue
        left, bottom_, right, top_ = rect.left, rect.bottom, rect.right, rect.top
        if raw.FPDFText_GetCharBox(handle, i, tight[0], tight[1], tight[2], tight[3]):
            t_left, t_right, t_bottom, t_top = (v.value for v in tight)
            # PDFium's font-bounds box is sometimes absurd (200 pt wide for a 10 pt glyph in a
            # vertical label, hongze-district-gov-2023.pdf): then use the glyph's own box, made
            # square (a tight box alone would put "一" or "." off its line)
            if right - left > 3 * (t_right - t_left) + 6 and top_ - bottom_ > 3 * (t_top - t_bottom) + 6:
                half = max(t_right - t_left, t_top - t_bottom) / 2
                middle = (t_top + t_bottom) / 2
                left, right, bottom_, top_ = t_left, t_right, middle - half, middle + half
        x0, top, x1, bottom = transform.box(left, bottom_, right, top_)
        size = bottom - top
        chars.append(
            {
                "object_type": "char",
                "text": chr(code),
                "x0": x0,
                "x1": x1,
                "top": top,
                "bottom": bottom,
                "doctop": top,
                "width": x1 - x0,
                "height": bottom - top,
                "size": size,
                "upright": True,
            }
        )
    return chars


Matrix = tuple[float, float, float, float, float, float]


def _identity() -> Matrix:
    return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix applying ``inner`` then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _walk_objects(
    parent: Any, form: Any, outer: Matrix, transform: _Transform, out: tuple[list[Obj], list[Obj]], depth: int
) -> int:
    """Collect edges of path objects (descending into form XObjects); returns the number of images."""
    if form is None:
        count, get = raw.FPDFPage_CountObjects(parent), lambda i: raw.FPDFPage_GetObject(parent, i)
    else:
        count, get = raw.FPDFFormObj_CountObjects(form), lambda i: raw.FPDFFormObj_GetObject(form, i)
    images = 0
    matrix = raw.FS_MATRIX()
    for i in range(max(count, 0)):
        obj = get(i)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_IMAGE:
            images += 1
        elif kind in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
            if not raw.FPDFPageObj_GetMatrix(obj, matrix):
                continue
            composed = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
            if kind == raw.FPDF_PAGEOBJ_PATH:
                _path_edges(obj, composed, transform, out)
            elif depth < 8:
                images += _walk_objects(parent, obj, composed, transform, out, depth + 1)
    return images


def _path_edges(obj: Any, matrix: Matrix, transform: _Transform, out: tuple[list[Obj], list[Obj]]) -> None:
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(obj, fill_mode, stroke):
        return
    if not stroke.value and not fill_mode.value:
        return
    edges = out[1] if not stroke.value and _light_fill(obj) else out[0]
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[float, float]]] = []
    for s in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, s)
        if not raw.FPDFPathSegment_GetPoint(segment, x, y):
            continue
        px, py = x.value * a + y.value * c + e, x.value * b + y.value * d + f
        point = transform.point(px, py)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([point])
        elif kind == raw.FPDF_SEGMENT_LINETO:
            subpaths[-1].append(point)
        else:  # a curve: keep its end point as a break, curves are no table rules
            subpaths.append([point])
        if raw.FPDFPathSegment_GetClose(segment) and len(subpaths[-1]) > 1:
            subpaths[-1].append(subpaths[-1][0])
    for points in subpaths:
        if not stroke.value and len(points) >= 4 and points[0] != points[-1]:
            # a filled shape counts by its outline (a thin filled box is how Word draws a rule)
            points = [*points, points[0]]
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            _add_edge(x0, y0, x1, y1, edges)


def _add_edge(x0: float, y0: float, x1: float, y1: float, edges: list[Obj]) -> None:
    if abs(y0 - y1) <= _AXIS_SLACK and abs(x1 - x0) >= _MIN_EDGE:
        left, right = sorted((x0, x1))
        edges.append(
            {
                "object_type": "line",
                "orientation": "h",
                "x0": left,
                "x1": right,
                "top": y0,
                "bottom": y0,
                "width": right - left,
                "height": 0.0,
                "doctop": y0,
            }
        )
    elif abs(x0 - x1) <= _AXIS_SLACK and abs(y1 - y0) >= _MIN_EDGE:
        top, bottom = sorted((y0, y1))
        edges.append(
            {
                "object_type": "line",
                "orientation": "v",
                "x0": x0,
                "x1": x0,
                "top": top,
                "bottom": bottom,
                "width": 0.0,
                "height": bottom - top,
                "doctop": top,
            }
        )


def _light_fill(obj: Any) -> bool:
    r, g, b, alpha = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    if not raw.FPDFPageObj_GetFillColor(obj, r, g, b, alpha):
        return False
    return alpha.value == 0 or min(r.value, g.value, b.value) >= _LIGHT
