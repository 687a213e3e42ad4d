"""A reader who wants the hidden figures of published statistics (no tests here).

Written apart from reports/suppression.py on purpose: it reads only what a release's data.json
says, works out for itself which figures add up to which (a month is in its year, a region in
its country, every category in "all"), and asks linear programs how small and how large each
hidden figure can be. Several releases are read together, as a reader would."""

import json

import numpy as np
from scipy.optimize import linprog

ALL = "*"


def parent(dim: str, level: str, category: str) -> tuple[str, str]:
    """(level, category) one step up."""
    if dim == "period" and level == "month":
        return "year", category if category == "unknown" else category[:4]
    if dim == "region" and level == "region":
        return "country", category if category == "unknown" else category.split("-")[0]
    return "all", ALL


def key(figure: dict) -> tuple:
    return tuple(sorted((d, lv, figure["categories"][d]) for d, lv in figure["levels"].items() if lv != "all"))


def read(*documents: bytes) -> dict:
    """{figure key: (status, count)} from one or more data.json files."""
    figures = {}
    for doc in documents:
        for f in json.loads(doc)["figures"]:
            figures[key(f)] = (f["status"], f["count"])
    return figures


def lines(figures: dict) -> list[tuple[tuple, list[tuple]]]:
    """(total, parts) for every total whose parts are all published figures."""
    groups = {}
    for k in figures:
        for i, (dim, level, category) in enumerate(k):
            up_level, up_category = parent(dim, level, category)
            rest = k[:i] + k[i + 1:]
            total = tuple(sorted(rest + (((dim, up_level, up_category),) if up_level != "all" else ())))
            groups.setdefault((total, dim, level), []).append(k)
    return [(total, parts) for (total, _d, _l), parts in groups.items() if total in figures]


def bounds(figures: dict, lower_for_hidden: int = 0) -> dict:
    """{hidden figure key: (smallest, largest)} over every table consistent with what is shown.
    A "floor" figure is at least its count; a hidden one at least `lower_for_hidden`."""
    unknown = sorted(k for k, (status, _c) in figures.items() if status in ("hidden", "floor"))
    index = {k: i for i, k in enumerate(unknown)}
    rows, rhs = [], []
    for total, parts in lines(figures):
        row, constant = np.zeros(len(unknown)), 0.0
        for k, sign in [(total, 1)] + [(p, -1) for p in parts]:
            if k in index:
                row[index[k]] += sign
            else:
                constant += sign * figures[k][1]
        if row.any():
            rows.append(row)
            rhs.append(-constant)
    box = [((figures[k][1] if figures[k][0] == "floor" else 0) + (lower_for_hidden if figures[k][0] == "hidden"
                                                                   else 0), None) for k in unknown]
    a_eq, b_eq = (np.array(rows), np.array(rhs)) if rows else (None, None)
    out = {}
    for k, i in index.items():
        c = np.zeros(len(unknown))
        c[i] = 1
        low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=box, method="highs")
        if low.status == 2:
            return {}
        high = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=box, method="highs")
        out[k] = (low.fun, float("inf") if high.status == 3 else -high.fun)
    return out
