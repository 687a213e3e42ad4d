"""A release's lattice: the table a researcher chose and every coarser total of it, as cells
with canonical ids and the lines (total = sum of parts) that link them.

A cell id is a tuple of (dimension, level, category) for the dimensions that are not totalled
("all"), sorted by dimension: the same id means the same count in any release, whatever order
its dimensions were chosen in,
so a later release can tell which cells an earlier one showed."""

from itertools import product

from . import cube


def tables(dims: list[tuple[str, str]]) -> list[tuple[tuple[str, str], ...]]:
    """Every combination of levels at or above the chosen ones, coarsest first."""
    ranges = []
    for dim, level in dims:
        levels = cube.DIMENSIONS[dim]
        ranges.append([(dim, lv) for lv in levels[: levels.index(level) + 1]])
    combos = list(product(*ranges)) if ranges else [()]
    return sorted(combos, key=lambda combo: sum(cube.DIMENSIONS[d].index(lv) for d, lv in combo))


def cell_id(levels: tuple[tuple[str, str], ...], key: tuple) -> tuple:
    """Sorted by dimension: "act type by region" and "region by act type" name the same figures."""
    return tuple(sorted((dim, lv, v) for (dim, lv), v in zip(levels, key, strict=True) if lv != "all"))


def build(organisation_id, counted: list, dims: list[tuple[str, str]]):
    """(cells: id -> cube.Cell, lines: [(total id, [part ids])])."""
    cells = {}
    by_table = {}
    for levels in tables(dims):
        t = cube.table(organisation_id, counted, list(levels))
        by_table[levels] = t
        for key, cell in t.items():
            cells[cell_id(levels, key)] = cell
    lines = []
    for levels, t in by_table.items():
        for i, (dim, lv) in enumerate(levels):
            if lv == "all":
                continue
            up = cube.DIMENSIONS[dim][cube.DIMENSIONS[dim].index(lv) - 1]
            parent_levels = levels[:i] + ((dim, up),) + levels[i + 1:]
            groups = {}
            for key in t:
                parent_key = key[:i] + (cube.parent_value(dim, lv, key[i]),) + key[i + 1:]
                groups.setdefault(parent_key, []).append(cell_id(levels, key))
            for parent_key, parts in groups.items():
                total = cell_id(parent_levels, parent_key)
                if total not in cells:  # a category only the finer level knows (e.g. a new region)
                    continue
                lines.append((total, parts))
    return cells, lines
