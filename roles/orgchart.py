"""The organization charts (current and future OrgUnit trees), drawn on the server as inline SVG,
and the comparison of the two organizations.

Like milestones.timeline, everything is computed here, in SVG user units, so that
`roles/_orgchart.html` and `roles/_comparison.html` only print numbers and strings. The functions
are pure: they receive lists of units (and of successor pairs) and make no queries, so the view
passes what it fetched, and the tests need no database.

The chart is top-down: each level a row, children side by side under their parent, joined by
elbow lines. Boxes get narrower (down to MIN_BOX_WIDTH) before anything else changes. When a
level still has more boxes than fit across, the deepest levels are drawn as a vertical list under
their parent instead (departments under their unit). If the units still do not fit side by side,
they are put in rows under their sector, or the lists start a level higher, whichever is less
tall. The chart grows taller, never wider than the width it is given.

Text widths are estimated from the number of characters; long names wrap, and are shortened with
an ellipsis after a few lines (the full name is in the box's <title> and in the nested list that
goes with the chart).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, ngettext, pgettext

from .models import MAX_ORG_LEVELS

# --- Geometry, in SVG user units (pixels when the SVG is drawn at its natural width) ------------

MARGIN = 6  # around the chart
HGAP = 10  # between the subtrees of siblings side by side
ROOT_GAP = 24  # between the trees of a forest (several top units)
LEVEL_GAP = 32  # between two rows, for the elbow lines
STACK_GAP = 8  # between the boxes of a vertical list
GUTTER = 16  # left of a grid of units, for the line down to its rows
INDENT = 12  # a vertical list's boxes are indented this much from their parent's left edge
MAX_BOX_WIDTH = 176
MIN_BOX_WIDTH = 104
BOX_WIDTH_STEP = 4
PAD_X = 8
PAD_Y = 6

KIND_SIZE = 10  # the small "Enhet" label at the top of a box
KIND_LINE = 13
NAME_SIZE = 12  # the name, semibold
NAME_LINE = 15
TITLE_SIZE = 11  # the leader title
TITLE_LINE = 14
PART_GAP = 2  # between the name and the leader title
MAX_NAME_LINES = 3
MAX_TITLE_LINES = 2

# Average advance per character, generous for Inter (the name is semibold).
NAME_CHAR_WIDTH = 0.6 * NAME_SIZE
TITLE_CHAR_WIDTH = 0.56 * TITLE_SIZE

KINDS = ("sector", "unit", "department")


def num(value: float) -> float | int:
    """Rounded to a tenth, and printed without ".0" when whole."""
    value = round(value, 1)
    return int(value) if value == int(value) else value


def wrap(text: str, width: float, char_width: float, max_lines: int) -> list[str]:
    """`text` broken into lines of at most `width`, at spaces; a word longer than a line is
    broken with a hyphen. After `max_lines` the last line ends with an ellipsis."""
    chars = max(int(width // char_width), 4)
    lines: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > chars:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[: chars - 1] + "-")
            word = word[chars - 1 :]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= chars:
            current = f"{current} {word}"
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1][: chars - 1] if len(lines[-1]) >= chars else lines[-1]
        lines[-1] = last.rstrip(" -") + "…"
    return lines


# --- The tree -----------------------------------------------------------------------------------


def _kind_label(unit) -> str:
    display = getattr(unit, "get_kind_display", None)
    return str(display()) if display else str(unit.kind)


@dataclass(slots=True, eq=False)
class Node:
    """A unit in the tree, with its children in the order they are drawn and listed."""

    unit: Any  # an OrgUnit, or anything with its attributes
    depth: int
    children: list["Node"] = field(default_factory=list)

    @property
    def pk(self):
        return self.unit.pk

    @property
    def name(self) -> str:
        return self.unit.name

    @property
    def kind(self) -> str:
        return self.unit.kind

    @property
    def kind_label(self) -> str:
        return _kind_label(self.unit)

    @property
    def leader_title(self) -> str:
        return self.unit.leader_title or ""

    @property
    def code(self) -> str:
        return getattr(self.unit, "code", "") or ""

    def walk(self):
        """This node and all below it, depth first, in order."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


def _sort_key(unit):
    return (unit.order or 0, unit.name.casefold(), unit.name, str(unit.pk))


def build_tree(units) -> list[Node]:
    """The units as a forest: the roots (units without a parent, or whose parent is not in
    `units`), each with its children sorted by order, then name.

    Built without recursion, and never deeper than MAX_ORG_LEVELS: the forms and the import keep
    organizations within it, and a unit found deeper (stored before the limit) starts a tree of
    its own, as does the first unit of a loop of parents. No unit disappears."""
    units = sorted(units, key=_sort_key)
    known = {unit.pk for unit in units}
    children = defaultdict(list)
    roots = []
    for unit in units:
        if unit.parent_id is not None and unit.parent_id in known and unit.parent_id != unit.pk:
            children[unit.parent_id].append(unit)
        else:
            roots.append(unit)

    seen: set = set()
    forest: list[Node] = []
    too_deep: list = []

    def grow(unit) -> None:
        seen.add(unit.pk)
        root = Node(unit=unit, depth=0)
        forest.append(root)
        stack = [root]
        while stack:
            node = stack.pop()
            for child in children[node.unit.pk]:
                if child.pk in seen:
                    continue
                seen.add(child.pk)
                if node.depth + 1 >= MAX_ORG_LEVELS:
                    too_deep.append(child)
                    continue
                below = Node(unit=child, depth=node.depth + 1)
                node.children.append(below)
                stack.append(below)

    for unit in roots:
        grow(unit)
    while too_deep:
        grow(too_deep.pop(0))
    for unit in units:  # only units in a loop are left
        if unit.pk not in seen:
            grow(unit)
            while too_deep:
                grow(too_deep.pop(0))
    return forest


@dataclass(slots=True)
class OutlineItem:
    """One unit of the nested list, flattened for the template: after the unit's content, a
    unit with children opens a <ul>; a unit without closes its <li>, and then `closes` levels
    of </ul></li> of the units whose last descendant it is."""

    node: Node
    has_children: bool
    closes: int = 0

    @property
    def close_range(self) -> range:
        return range(self.closes)


def outline(tree: list[Node]) -> list[OutlineItem]:
    items: list[OutlineItem] = []
    for root in tree:
        item_of = {}
        for node in root.walk():
            item_of[node] = OutlineItem(node=node, has_children=bool(node.children))
            items.append(item_of[node])
        for node in root.walk():
            if node.children:
                last = node
                while last.children:
                    last = last.children[-1]
                item_of[last].closes += 1
    return items


# --- What the template prints -------------------------------------------------------------------


@dataclass(slots=True)
class TextLine:
    text: str
    x: float
    y: float


@dataclass(slots=True)
class Box:
    """A unit's box. Text is centred on `cx`. `stacked` when it is in a vertical list."""

    pk: object
    name: str
    kind: str
    kind_label: str
    leader_title: str
    code: str
    depth: int
    tooltip: str
    x: float = 0
    y: float = 0
    w: float = 0
    h: float = 0
    stacked: bool = False
    kind_line: TextLine | None = None
    name_lines: list[TextLine] = field(default_factory=list)
    title_lines: list[TextLine] = field(default_factory=list)

    @property
    def cx(self) -> float:
        return num(self.x + self.w / 2)

    @property
    def css_kind(self) -> str:
        return self.kind if self.kind in KINDS else "unit"


@dataclass(slots=True)
class Connector:
    """The lines from a parent to its children, as the `d` of one <path>."""

    d: str
    stacked: bool = False


@dataclass(slots=True)
class Chart:
    empty: bool
    summary: str
    width: int
    height: float = 0
    dom_id: str = "orgchart"
    boxes: list[Box] = field(default_factory=list)
    connectors: list[Connector] = field(default_factory=list)
    tree: list[Node] = field(default_factory=list)
    outline: list[OutlineItem] = field(default_factory=list)
    box_width: float = 0
    # The depth from which units are drawn as vertical lists under their parent (None: no
    # lists, every level side by side).
    stacked_from: int | None = None
    # More trees than fit side by side are drawn in rows.
    wrapped: bool = False
    # The children of a top unit are drawn in rows (each with its list under it).
    grid: bool = False


# --- Layout -------------------------------------------------------------------------------------


def layout_chart(units, *, dom_id: str = "orgchart", width: int = 960) -> Chart:
    """Lay out the units as a top-down org chart at most `width` wide.

    `units` are OrgUnit-like: pk, parent_id, name, kind, get_kind_display(), leader_title, order,
    code. `dom_id` prefixes the ids in the SVG, for a page with more than one chart."""
    tree = build_tree(units)
    chart = Chart(
        empty=not tree,
        summary=_summary(tree),
        width=width,
        dom_id=dom_id,
        tree=tree,
        outline=outline(tree),
    )
    if not tree:
        return chart
    layout = _choose(tree, width)
    chart.boxes = layout.boxes
    chart.connectors = layout.connectors
    chart.height = num(layout.bottom + MARGIN)
    chart.box_width = layout.box_width
    max_depth = max(node.depth for root in tree for node in root.walk())
    chart.stacked_from = layout.stack_from if layout.stack_from <= max_depth else None
    chart.wrapped = layout.bands > 1
    chart.grid = bool(layout.grid_columns)
    return chart


def _choose(tree: list[Node], width: int) -> "_Layout":
    """The layout with the fewest levels drawn as lists, then the widest boxes, that fits in one
    row at `width`. If only lists of everything under the top units would fit, whichever of
    these is least tall: the top units' children in rows (a grid) with lists under them, or
    lists under the top units, or the trees themselves in rows."""
    available = width - 2 * MARGIN
    max_depth = max(node.depth for root in tree for node in root.walk())
    box_widths = range(MAX_BOX_WIDTH, MIN_BOX_WIDTH - 1, -BOX_WIDTH_STEP)

    def widest(stack_from: int, *, in_rows: bool, grid: bool):
        for box_width in box_widths:
            layout = _Layout(tree, stack_from, box_width, available, grid=grid)
            if layout.fits(in_rows=in_rows):
                return layout
        return None

    for stack_from in range(max_depth + 1, 1, -1):
        if layout := widest(stack_from, in_rows=False, grid=False):
            return layout.arrange()
    candidates = [
        widest(stack_from, in_rows=in_rows, grid=grid)
        for stack_from in range(max_depth + 1, 0, -1)
        for grid in ((False, True) if stack_from == 2 else (False,))
        for in_rows in (False, True)
    ]
    candidates = [layout.arrange() for layout in candidates if layout]
    if candidates:
        return min(candidates, key=lambda layout: (layout.bottom, -layout.box_width))
    # Only for a width far narrower than a page: the narrowest boxes, one tree a row.
    layout = _Layout(tree, 1, min(MIN_BOX_WIDTH, available), available, grid=False)
    layout.indent = min(INDENT, max(0, (available - layout.box_width) / max(max_depth, 1)))
    return layout.arrange()


class _Layout:
    """Positions for one choice of the depth from which levels are lists (`stack_from`) and of
    the box width. Rows (depths above `stack_from`) are aligned across a band of trees, with the
    height of their tallest box; lists are stacked under their parent, each box as tall as its
    text, and indented, so that a list is as wide as the box over it. With `grid`, the children
    of a top unit that do not fit side by side are put in rows under it."""

    def __init__(self, tree, stack_from: int, box_width: float, available: float, *, grid: bool):
        self.tree = tree
        self.stack_from = stack_from
        self.box_width = box_width
        self.available = available
        self.indent = INDENT
        self.grid = grid and stack_from == 2
        self.grid_columns: dict[Node, int] = {}
        self._widths: dict[Node, float] = {}
        self._box: dict[Node, Box] = {}
        self.boxes: list[Box] = []
        self.connectors: list[Connector] = []
        self.row_y: dict[int, float] = {}
        self.row_h: dict[int, float] = {}
        self.bottom = 0.0
        self.bands = 0

    def width(self, node: Node) -> float:
        """The width of the node's subtree."""
        if node not in self._widths:
            bw = self.box_width
            if not node.children or node.depth + 1 >= self.stack_from:
                result = bw
            else:
                count = len(node.children)
                side_by_side = sum(self.width(child) for child in node.children)
                result = max(bw, side_by_side + HGAP * (count - 1))
                if self.grid and node.depth == 0 and result > self.available:
                    # The children (each one box wide, with its list) in rows, beside a gutter
                    # for the line down to the rows.
                    columns = max(1, int((self.available - GUTTER + HGAP) // (bw + HGAP)))
                    columns = -(-count // -(-count // columns))  # the rows evened out
                    self.grid_columns[node] = columns
                    result = GUTTER + columns * bw + (columns - 1) * HGAP
            self._widths[node] = result
        return self._widths[node]

    def fits(self, *, in_rows: bool) -> bool:
        """Whether the trees fit side by side, or with `in_rows`, each on its own."""
        widths = [self.width(root) for root in self.tree]
        if in_rows:
            return max(widths) <= self.available
        return sum(widths) + ROOT_GAP * (len(widths) - 1) <= self.available

    def arrange(self) -> "_Layout":
        """Place the trees: in rows of as many as fit side by side, each row centred."""
        bands: list[list[Node]] = [[]]
        used = 0.0
        for root in self.tree:
            root_width = self.width(root)
            if bands[-1] and used + ROOT_GAP + root_width > self.available:
                bands.append([])
                used = 0.0
            used += (ROOT_GAP if bands[-1] else 0) + root_width
            bands[-1].append(root)
        top: float = MARGIN
        for band in bands:
            band_width = sum(self.width(root) for root in band) + ROOT_GAP * (len(band) - 1)
            left = MARGIN + (self.available - band_width) / 2
            self._start_band(band, top)
            for root in band:
                self.bottom = max(self.bottom, self._place(root, left))
                left += self.width(root) + ROOT_GAP
            top = self.bottom + LEVEL_GAP
        self.bands = len(bands)
        # In the order of the tree (parents are placed after their children in a row).
        self.boxes = [self._box[node] for root in self.tree for node in root.walk()]
        return self

    def _start_band(self, roots: list[Node], top: float) -> None:
        heights: dict[int, float] = defaultdict(float)
        for root in roots:
            for node in root.walk():
                if node.depth < self.stack_from:
                    natural = self._natural_height(node, self.box_width)
                    heights[node.depth] = max(heights[node.depth], natural)
        self.row_y, self.row_h = {}, dict(heights)
        y = top
        for depth in sorted(heights):
            self.row_y[depth] = y
            y += heights[depth] + LEVEL_GAP

    def _place(self, node: Node, left: float) -> float:
        """Place a node of a row, and all below it, in its slot [left, left + width]. Returns
        the bottom of the lowest box placed."""
        w, bw = self.width(node), self.box_width
        y, h = self.row_y[node.depth], self.row_h[node.depth]
        if node in self.grid_columns:
            return self._place_grid(node, left, y, h)
        bottom = y + h
        if node.children and node.depth + 1 < self.stack_from:
            count = len(node.children)
            children = sum(self.width(child) for child in node.children) + HGAP * (count - 1)
            child_left = left + (w - children) / 2
            for child in node.children:
                bottom = max(bottom, self._place(child, child_left))
                child_left += self.width(child) + HGAP
            first, last = self._box[node.children[0]], self._box[node.children[-1]]
            x = (first.x + first.w / 2 + last.x + last.w / 2) / 2 - bw / 2
            box = self._add(node, max(left, min(x, left + w - bw)), y, bw, h)
            self._connect_row(box, [self._box[child] for child in node.children])
        else:
            box = self._add(node, left + (w - bw) / 2, y, bw, h)
            bottom = max(bottom, self._stack_children(node))
        return bottom

    def _place_grid(self, node: Node, left: float, y: float, h: float) -> float:
        bw, columns = self.box_width, self.grid_columns[node]
        grid_left = left + GUTTER
        grid_width = columns * bw + (columns - 1) * HGAP
        box = self._add(node, grid_left + (grid_width - bw) / 2, y, bw, h)
        rows = [node.children[i : i + columns] for i in range(0, len(node.children), columns)]
        top = bottom = y + h
        row_boxes = []
        for row in rows:
            top = bottom + LEVEL_GAP
            row_h = max(self._natural_height(child, bw) for child in row)
            bottom = top + row_h
            for column, child in enumerate(row):
                self._add(child, grid_left + column * (bw + HGAP), top, bw, row_h)
                bottom = max(bottom, self._stack_children(child))
            row_boxes.append([self._box[child] for child in row])
        # One line from the top unit down the gutter, with a branch along the top of each row.
        gutter = num(left + GUTTER / 2)
        start = num(box.y + box.h)
        middles = [num(boxes[0].y - LEVEL_GAP / 2) for boxes in row_boxes]
        parts = [f"M{box.cx} {start}V{middles[0]}", f"M{gutter} {middles[0]}V{middles[-1]}"]
        for middle, boxes in zip(middles, row_boxes, strict=True):
            right = max(boxes[-1].cx, box.cx) if middle == middles[0] else boxes[-1].cx
            parts.append(f"M{gutter} {middle}H{right}")
            parts += [f"M{b.cx} {middle}V{b.y}" for b in boxes]
        self.connectors.append(Connector(" ".join(parts)))
        return bottom

    def _stack_children(self, node: Node) -> float:
        """Stack the node's children (and theirs) as a list under its box; returns the bottom."""
        box = self._box[node]
        below = box.y + box.h
        for child in node.children:
            w = box.w - self.indent
            self._add(child, box.x + self.indent, below + STACK_GAP, w, 0, stacked=True)
            below = self._stack_children(child)
        if node.children:
            # A trunk down the left, half an indent in, with a branch to each box.
            trunk = num(box.x + self.indent / 2)
            boxes = [self._box[child] for child in node.children]
            last = num(boxes[-1].y + boxes[-1].h / 2)
            parts = [f"M{trunk} {num(box.y + box.h)}V{last}"]
            parts += [f"M{trunk} {num(b.y + b.h / 2)}H{b.x}" for b in boxes]
            self.connectors.append(Connector(" ".join(parts), stacked=True))
        return below

    def _connect_row(self, box: Box, children: list[Box]) -> None:
        """An elbow from the bottom of the parent to the top of each child in the row below."""
        bottom = num(box.y + box.h)
        middle = num(bottom + LEVEL_GAP / 2)
        parts = [f"M{box.cx} {bottom}V{middle}"]
        xs = [box.cx, *(child.cx for child in children)]
        if min(xs) != max(xs):
            parts.append(f"M{min(xs)} {middle}H{max(xs)}")
        parts += [f"M{child.cx} {middle}V{child.y}" for child in children]
        self.connectors.append(Connector(" ".join(parts)))

    def _natural_height(self, node: Node, width: float) -> float:
        names, titles = self._text(node, width)
        height = 2 * PAD_Y + KIND_LINE + len(names) * NAME_LINE
        if titles:
            height += PART_GAP + len(titles) * TITLE_LINE
        return height

    @staticmethod
    def _text(node: Node, width: float) -> tuple[list[str], list[str]]:
        inner = width - 2 * PAD_X
        names = wrap(node.name, inner, NAME_CHAR_WIDTH, MAX_NAME_LINES) or ["–"]
        titles = wrap(node.leader_title, inner, TITLE_CHAR_WIDTH, MAX_TITLE_LINES)
        return names, titles

    def _add(self, node: Node, x, y, w, h, *, stacked: bool = False) -> Box:
        """A box for the node; `h` 0 for as tall as its text."""
        names, titles = self._text(node, w)
        box = Box(
            pk=node.pk,
            name=node.name,
            kind=node.kind,
            kind_label=node.kind_label,
            leader_title=node.leader_title,
            code=node.code,
            depth=node.depth,
            tooltip=" – ".join(p for p in (node.name, node.kind_label, node.leader_title) if p),
            x=num(x),
            y=num(y),
            w=num(w),
            h=num(h or self._natural_height(node, w)),
            stacked=stacked,
        )
        cx = box.cx
        cursor = box.y + PAD_Y
        box.kind_line = TextLine(node.kind_label, cx, num(cursor + KIND_SIZE - 1))
        cursor += KIND_LINE
        for line in names:
            box.name_lines.append(TextLine(line, cx, num(cursor + NAME_SIZE - 1)))
            cursor += NAME_LINE
        cursor += PART_GAP
        for line in titles:
            box.title_lines.append(TextLine(line, cx, num(cursor + TITLE_SIZE - 1)))
            cursor += TITLE_LINE
        self.boxes.append(box)
        self._box[node] = box
        return box


def _summary(tree: list[Node]) -> str:
    """The text alternative in the SVG's <desc>: "Organisasjonen har 1 sektor, 8 enheter og
    12 avdelinger." """
    counts = dict.fromkeys(KINDS, 0)
    for root in tree:
        for node in root.walk():
            counts[node.kind if node.kind in counts else "unit"] += 1
    if not any(counts.values()):
        return gettext("Organisasjonen har ingen enheter ennå.")
    parts = []
    if counts["sector"]:
        parts.append(
            ngettext("%(count)d sektor", "%(count)d sektorer", counts["sector"])
            % {"count": counts["sector"]}
        )
    if counts["unit"]:
        parts.append(
            ngettext("%(count)d enhet", "%(count)d enheter", counts["unit"])
            % {"count": counts["unit"]}
        )
    if counts["department"]:
        parts.append(
            ngettext("%(count)d avdeling", "%(count)d avdelinger", counts["department"])
            % {"count": counts["department"]}
        )
    if len(parts) > 1:
        items = gettext("%(first)s og %(second)s") % {
            "first": ", ".join(parts[:-1]),
            "second": parts[-1],
        }
    else:
        items = parts[0]
    return gettext("Organisasjonen har %(items)s.") % {"items": items}


# --- Comparison of the current and the future organization --------------------------------------

KEPT = "kept"
RENAMED = "renamed"
MERGED = "merged"
SPLIT = "split"
NEW = "new"
REMOVED = "removed"
RESTRUCTURED = "restructured"
CHANGE_KINDS = (KEPT, RENAMED, MERGED, SPLIT, NEW, REMOVED, RESTRUCTURED)

# Designsystemet's tag colours. The tag's text says the change; the colour only supports it.
CHANGE_COLORS = {
    KEPT: "neutral",
    RENAMED: "info",
    MERGED: "accent",
    SPLIT: "accent",
    NEW: "success",
    REMOVED: "danger",
    RESTRUCTURED: "warning",
}


def change_label(kind: str) -> str:
    labels = {
        KEPT: pgettext("organisational change", "Videreført"),
        RENAMED: pgettext("organisational change", "Nytt navn"),
        MERGED: pgettext("organisational change", "Slått sammen"),
        SPLIT: pgettext("organisational change", "Delt"),
        NEW: pgettext("organisational change", "Ny"),
        REMOVED: pgettext("organisational change", "Nedlagt"),
        RESTRUCTURED: pgettext("organisational change", "Omorganisert"),
    }
    return labels[kind]


@dataclass(slots=True)
class ComparisonRow:
    kind: str
    label: str
    current: list = field(default_factory=list)
    future: list = field(default_factory=list)

    @property
    def color(self) -> str:
        return CHANGE_COLORS[self.kind]


@dataclass(slots=True)
class ChangeCount:
    kind: str
    label: str
    count: int


@dataclass(slots=True)
class Comparison:
    empty: bool
    summary: str
    rows: list[ComparisonRow] = field(default_factory=list)
    counts: list[ChangeCount] = field(default_factory=list)  # the kinds that occur, in order
    count_by_kind: dict[str, int] = field(default_factory=dict)  # every kind, 0 included


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def compare(current_units, future_units, mappings) -> Comparison:
    """Classify how the current organization becomes the future one.

    `mappings` are (current pk, future pk) pairs, as in OrgUnit.successors.through
    (from_orgunit_id, to_orgunit_id); pairs whose units are not in the lists are ignored. The
    units joined by mappings form groups: one current and one future unit is kept (same name,
    ignoring case and spacing) or renamed; several current units and one future unit are merged;
    one current unit and several future units is a split; a future unit alone is new, a current
    unit alone is removed; several on both sides is restructured. One row per group, sorted by
    kind, then name."""
    current = {unit.pk: unit for unit in current_units}
    future = {unit.pk: unit for unit in future_units}
    # Union-find over ("c", pk) and ("f", pk).
    parent: dict[tuple, tuple] = {}

    def find(key):
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for pk in current:
        find(("c", pk))
    for pk in future:
        find(("f", pk))
    for current_pk, future_pk in mappings:
        if current_pk in current and future_pk in future:
            a, b = find(("c", current_pk)), find(("f", future_pk))
            if a != b:
                parent[a] = b

    groups: dict[tuple, tuple[list, list]] = defaultdict(lambda: ([], []))
    for pk, unit in current.items():
        groups[find(("c", pk))][0].append(unit)
    for pk, unit in future.items():
        groups[find(("f", pk))][1].append(unit)

    rows = []
    for olds, news in groups.values():
        olds.sort(key=_sort_key)
        news.sort(key=_sort_key)
        if not news:
            kind = REMOVED
        elif not olds:
            kind = NEW
        elif len(olds) == 1 and len(news) == 1:
            kind = KEPT if _same_name(olds[0].name, news[0].name) else RENAMED
        elif len(news) == 1:
            kind = MERGED
        elif len(olds) == 1:
            kind = SPLIT
        else:
            kind = RESTRUCTURED
        rows.append(ComparisonRow(kind=kind, label=change_label(kind), current=olds, future=news))

    def row_key(row):
        first = (row.current or row.future)[0]
        return (CHANGE_KINDS.index(row.kind), first.name.casefold(), first.name, str(first.pk))

    rows.sort(key=row_key)
    count_by_kind = dict.fromkeys(CHANGE_KINDS, 0)
    for row in rows:
        count_by_kind[row.kind] += 1
    counts = [ChangeCount(k, change_label(k), n) for k, n in count_by_kind.items() if n]
    if counts:
        summary = (
            ", ".join(
                gettext("%(label)s: %(count)d") % {"label": c.label, "count": c.count}
                for c in counts
            )
            + "."
        )
    else:
        summary = gettext("Ingen enheter å sammenligne ennå.")
    return Comparison(
        empty=not rows, summary=summary, rows=rows, counts=counts, count_by_kind=count_by_kind
    )
