"""Small-cell suppression for published statistics (pure functions, no Django).

A release publishes a table and every coarser total of it (a *lattice*: for "act type by month",
also act types by year, act types overall, months, years and the grand total). Each total is
the sum of the cells one level below it: these sums are the *lines* a reader can use to work
out a hidden cell from the ones shown.

The values protected here are each cell's *confidential* part: its figure minus what cited
public sources already report (reports/cube.py). That part is additive like the figures, so
the lines hold for it too; a cell whose figure is all public has nothing to protect. So:

1. Primary suppression: a cell whose confidential part is below the threshold (default 5), but
   not 0, is hidden. A cell that an earlier release showed, and whose confidential part has
   changed since by less than the threshold, is hidden too: the difference would say how many
   were added or taken out.
2. Complementary suppression: in every line, a hidden cell must not be the only unknown, and
   the hidden cells of a line must together hold at least the threshold; otherwise more cells
   are hidden (smallest first).
3. Verification: for every sensitive (primary or changed) cell, of this release or of an
   earlier one, two linear programs find the smallest and largest value it can take given
   everything published (cells shown, earlier releases' cells that did not change, and the
   lines of this release and of every earlier one, so that a coarser or differently cut
   release cannot give away what a finer one hid). The range must span at least the threshold
   when hidden cells may be 0, and must not be a single value when hidden cells are assumed to
   be at least 1. Where it fails, another cell of one of its lines is hidden and the check runs
   again. If nothing more can be hidden, the release is refused rather than published.

Cells are identified by any hashable id; `lines` is a list of (total id, [part ids])."""

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog

MAX_ROUNDS = 10_000


class CannotProtect(Exception):
    """No further cell can be hidden and some sensitive cell can still be worked out."""


@dataclass
class Input:
    values: dict  # cell id -> the confidential part of its figure
    lines: list  # (total id, [part ids])
    threshold: int = 5
    earlier: dict = field(default_factory=dict)  # cell id -> what an earlier release showed of it
    # The cells this release publishes (None: all). The others belong to earlier releases: they
    # are not published again, but their lines are part of what a reader can combine.
    own: set | None = None

    def mine(self) -> set:
        return set(self.values) if self.own is None else self.own


@dataclass
class Result:
    hidden: set
    primary: int
    changed: int
    complementary: int


def _known(inp: Input, hidden: set) -> set:
    """Cells a reader knows: those shown, and those an earlier release showed that did not change."""
    same = {c for c, v in inp.earlier.items() if c in inp.values and inp.values[c] == v}
    return (set(inp.values) - hidden) | same


def _candidates(inp: Input, hidden: set, line_cells) -> list:
    """Cells of this release in a line that could still be hidden usefully: not already known
    from an earlier release."""
    known_earlier = {c for c, v in inp.earlier.items() if inp.values.get(c) == v}
    mine = inp.mine()
    free = [c for c in line_cells if c in mine and c not in hidden and c not in known_earlier]
    # Smallest non-zero first (least information lost), then empty cells (a hidden 0 also keeps a
    # reader from assuming every hidden cell holds someone).
    return sorted(free, key=lambda c: (inp.values[c] == 0, inp.values[c]))


def _line_weak(inp: Input, hidden: set, known: set, total, parts) -> bool:
    unknown = [c for c in [total, *parts] if c not in known]
    if not unknown:
        return False
    if len(unknown) == 1:
        return True
    if total in known:  # the hidden parts' sum is revealed: it must not itself be small
        return sum(inp.values[c] for c in unknown) < inp.threshold
    return False


def _greedy(inp: Input, hidden: set) -> None:
    changed = True
    rounds = 0
    while changed and rounds < MAX_ROUNDS:
        changed, rounds = False, rounds + 1
        known = _known(inp, hidden)
        for total, parts in inp.lines:
            if _line_weak(inp, hidden, known, total, parts):
                pick = _candidates(inp, hidden, parts) or _candidates(inp, hidden, [total])
                if pick:
                    hidden.add(pick[0])
                    known.discard(pick[0])
                    changed = True


def _bounds(inp: Input, known: set, cells: list, lower: int):
    """(min, max) of each of `cells` over every table consistent with what is known; None if
    no table is (possible when hidden cells are assumed to hold at least 1)."""
    variables = sorted({c for total, parts in inp.lines for c in [total, *parts] if c not in known}, key=repr)
    index = {c: i for i, c in enumerate(variables)}
    rows, rhs = [], []
    for total, parts in inp.lines:
        terms = [(total, 1)] + [(p, -1) for p in parts]
        row = np.zeros(len(variables))
        constant = 0
        for c, sign in terms:
            if c in index:
                row[index[c]] += sign
            else:
                constant += sign * inp.values[c]
        if row.any():
            rows.append(row)
            rhs.append(-constant)
    bounds = [(lower, None)] * len(variables)
    a_eq = np.array(rows) if rows else None
    b_eq = np.array(rhs) if rows else None
    out = {}
    for c in cells:
        if c not in index:
            out[c] = (inp.values[c], inp.values[c])
            continue
        objective = np.zeros(len(variables))
        objective[index[c]] = 1
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        if low.status == 2:
            return None
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        out[c] = (low.fun, float("inf") if high.status == 3 else -high.fun)
    return out


def _components(inp: Input, known: set) -> list[Input]:
    """Split the lines into groups that share no unknown cell: each is solved on its own."""
    parent = {}

    def find(c):
        parent.setdefault(c, c)
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for total, parts in inp.lines:
        unknown = [c for c in [total, *parts] if c not in known]
        for c in unknown[1:]:
            parent[find(c)] = find(unknown[0])
    groups = defaultdict(list)
    for line in inp.lines:
        unknown = [c for c in [line[0], *line[1]] if c not in known]
        if unknown:
            groups[find(unknown[0])].append(line)
    return [Input(inp.values, lines, inp.threshold, inp.earlier, inp.own) for lines in groups.values()]


def weak_cells(inp: Input, hidden: set, sensitive: set) -> list:
    """Sensitive hidden cells that a reader could work out or pin down too closely."""
    known = _known(inp, hidden)
    weak = []
    for part in _components(inp, known):
        cells = [c for c in sensitive if c not in known and any(
            c == total or c in parts for total, parts in part.lines)]
        if not cells:
            continue
        loose = _bounds(part, known, cells, 0)
        weak += [c for c in cells if loose[c][1] - loose[c][0] < inp.threshold - 1e-6]
        tight = _bounds(part, known, cells, 1)
        if tight is not None:
            weak += [c for c in cells if c not in weak and tight[c][1] - tight[c][0] < 1 - 1e-6]
    # Sensitive cells outside every line (no total above them) are safe once hidden.
    return sorted(set(weak), key=repr)


def _nearest_candidate(inp: Input, hidden: set, cell):
    """A cell to hide for a weak one: in its own lines if any can be, else one line further out,
    and so on (what pins a figure down can be a known total a few sums away)."""
    frontier, seen_lines = {cell}, set()
    while frontier:
        lines = [i for i, (total, parts) in enumerate(inp.lines)
                 if i not in seen_lines and (total in frontier or frontier.intersection(parts))]
        if not lines:
            return None
        seen_lines.update(lines)
        cells = {c for i in lines for c in [inp.lines[i][0], *inp.lines[i][1]]}
        found = _candidates(inp, hidden, cells)
        if found:
            return found[0]
        frontier = cells - frontier
    return None


def protect(inp: Input) -> Result:
    mine = inp.mine()
    primary = {c for c in mine if 0 < inp.values[c] < inp.threshold}
    changed = {c for c in mine if c in inp.earlier and 0 < abs(inp.values[c] - inp.earlier[c]) < inp.threshold}
    changed -= primary
    # Cells only earlier releases had: unknown to a reader unless shown then and unchanged since,
    # and still to be protected if small.
    others = set(inp.values) - mine
    shown_before = {c for c in others if inp.earlier.get(c) == inp.values[c]}
    sensitive = primary | changed | {c for c in others - shown_before if 0 < inp.values[c] < inp.threshold}
    hidden = primary | changed | others
    _greedy(inp, hidden)
    for _round in range(MAX_ROUNDS):
        weak = weak_cells(inp, hidden, sensitive)
        if not weak:
            break
        pick = next((p for p in (_nearest_candidate(inp, hidden, cell) for cell in weak) if p is not None), None)
        if pick is None:
            raise CannotProtect(weak)
        hidden.add(pick)
        _greedy(inp, hidden)
    hidden &= mine
    return Result(hidden, len(primary), len(changed), len(hidden - primary - changed))
