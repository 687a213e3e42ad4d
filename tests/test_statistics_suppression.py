"""Small-cell suppression on its own (reports/suppression.py), on tables built by hand: a small
figure is hidden, and so many others that no reader can work it out from the totals."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from safepassage.reports.suppression import Input, protect

THRESHOLD = 5


def grid(cells: list[list[int]]) -> Input:
    """A table with its row totals, column totals and grand total, as a release publishes it."""
    values = {}
    for i, row in enumerate(cells):
        for j, v in enumerate(row):
            values[(i, j)] = v
        values[(i, "*")] = sum(row)
    for j in range(len(cells[0])):
        values[("*", j)] = sum(row[j] for row in cells)
    values[("*", "*")] = sum(map(sum, cells))
    rows, cols = range(len(cells)), range(len(cells[0]))
    lines = [((i, "*"), [(i, j) for j in cols]) for i in rows] + [(("*", j), [(i, j) for i in rows]) for j in cols]
    lines += [(("*", "*"), [(i, "*") for i in rows]), (("*", "*"), [("*", j) for j in cols])]
    return Input(values, lines, THRESHOLD)


def widths(inp: Input, hidden: set) -> dict:
    """How far apart the smallest and largest value of each hidden cell can be, for a reader
    who sees every other cell and knows each total is the sum of its parts."""
    unknown = sorted(hidden, key=repr)
    index = {c: i for i, c in enumerate(unknown)}
    rows, rhs = [], []
    for total, parts in inp.lines:
        row, constant = np.zeros(len(unknown)), 0
        for c, sign in [(total, 1)] + [(p, -1) for p in parts]:
            if c in index:
                row[index[c]] += sign
            else:
                constant += sign * inp.values[c]
        if row.any():
            rows.append(row)
            rhs.append(-constant)
    out = {}
    for c, i in index.items():
        objective = np.zeros(len(unknown))
        objective[i] = 1
        kwargs = {"A_eq": np.array(rows), "b_eq": np.array(rhs)} if rows else {}
        low = linprog(objective, bounds=[(0, None)] * len(unknown), method="highs", **kwargs)
        high = linprog(-objective, bounds=[(0, None)] * len(unknown), method="highs", **kwargs)
        out[c] = (float("inf") if high.status == 3 else -high.fun) - low.fun
    return out


def test_a_lone_small_figure_in_a_row_gets_a_companion():
    inp = grid([[3, 20, 30], [10, 12, 40]])
    hidden = protect(inp).hidden
    assert (0, 0) in hidden
    assert len([c for c in hidden if c[0] == 0 and c[1] != "*"]) >= 2  # its row
    assert len([c for c in hidden if c[1] == 0 and c[0] != "*"]) >= 2  # its column
    assert all(w >= THRESHOLD for c, w in widths(inp, hidden).items() if 0 < inp.values[c] < THRESHOLD)


def test_two_small_figures_that_add_up_to_a_small_number_need_a_third():
    inp = grid([[1, 1, 9], [6, 7, 8]])
    hidden = protect(inp).hidden
    row = [c for c in hidden if c[0] == 0 and c[1] != "*"]
    assert sum(inp.values[c] for c in row) >= THRESHOLD


def test_large_figures_and_zeros_are_shown():
    inp = grid([[0, 20], [12, 40]])
    assert protect(inp).hidden == set()


def test_a_figure_shown_unchanged_by_an_earlier_release_cannot_protect_another():
    inp = grid([[3, 20, 30], [10, 12, 40]])
    first = protect(inp).hidden
    companion = next(c for c in first if c != (0, 0) and c[0] == 0 and c[1] != "*")
    inp.earlier = {companion: inp.values[companion]}  # a reader already knows it
    again = protect(inp).hidden
    assert (0, 0) in again and any(c[0] == 0 and c[1] not in ("*", 0, companion[1]) for c in again)


def test_a_small_change_since_an_earlier_release_is_hidden():
    inp = grid([[10, 20], [12, 40]])
    inp.earlier = {(0, 0): 8}
    result = protect(inp)
    assert (0, 0) in result.hidden and result.changed == 1


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5).flatmap(lambda n: st.lists(
    st.lists(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 9, 15, 40]), min_size=n, max_size=n), min_size=1, max_size=5)))
def test_no_small_figure_of_any_table_can_be_pinned_down_from_the_totals(cells):
    inp = grid(cells)
    hidden = protect(inp).hidden
    small = {c for c, v in inp.values.items() if 0 < v < THRESHOLD}
    assert small <= hidden
    assert all(w >= THRESHOLD - 1e-6 for c, w in widths(inp, hidden).items() if c in small)
