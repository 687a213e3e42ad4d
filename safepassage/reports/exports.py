"""The files of a release, made from what the release keeps (so the same release always gives
the same files): a CSV, a JSON document, one SVG chart per dimension, and all of them with a
README in one zip. Labels are in the language of whoever downloads them; codes never change."""

import csv
import io
import json
import zipfile

from django.utils.translation import gettext as _

from . import charts, cube, present

ZIP_DATE = (2000, 1, 1, 0, 0, 0)  # fixed, so the same release gives the same bytes


def _levels(cell: dict) -> dict:
    return {dim: level for dim, level, _value in cell["id"]}


def rows(payload: dict) -> list[dict]:
    """One row per figure: its categories with their labels, the figure and its state."""
    dims = [d["name"] for d in payload["dimensions"]]
    keys = source_keys(payload)
    out = []
    for cell in payload["cells"]:
        levels = _levels(cell)
        row = {"levels": {d: levels.get(d, "all") for d in dims}, "categories": cell["categories"],
               "labels": {d: present.category_label(payload["labels"], d, levels.get(d, "all"),
                                                    cell["categories"][d]) for d in dims},
               "count": cell["value"], "qualifier": cell["qualifier"], "status": cell["status"],
               "sources": sorted((keys[s] for s in cell["sources"] if s in keys), key=lambda k: int(k[1:]))}
        out.append(row)
    return out


def source_keys(payload: dict) -> dict:
    """Short keys (S1, S2...) for the cited sources, in a stable order."""
    ordered = sorted(payload["sources"].items(), key=lambda kv: (kv[1]["published_on"] or "", kv[1]["title"], kv[0]))
    return {sid: f"S{i}" for i, (sid, _c) in enumerate(ordered, start=1)}


def to_csv(payload: dict) -> bytes:
    dims = [d["name"] for d in payload["dimensions"]]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = []
    for d in dims:
        header += [f"{d}_level", d, f"{d}_label"]
    writer.writerow(header + ["count", "qualifier", "status", "sources"])
    for row in rows(payload):
        line = []
        for d in dims:
            line += [row["levels"][d], row["categories"][d], row["labels"][d]]
        count = "" if row["count"] is None else row["count"]
        writer.writerow(line + [count, row["qualifier"] or "", row["status"], ";".join(row["sources"])])
    return buffer.getvalue().encode("utf-8")


def to_json(payload: dict) -> bytes:
    keys = source_keys(payload)
    document = {
        "format": payload["format"], "as_of": payload["as_of"], "unit": payload["unit"],
        "threshold": payload["threshold"], "dimensions": payload["dimensions"],
        "figures": rows(payload),
        "hidden": {"cells": payload["hidden"]["cells"]},  # never why: see present.notes
        "sources": {keys[sid]: citation for sid, citation in payload["sources"].items()},
        "notes": present.notes(payload),
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def chart_bars(payload: dict, dim: str) -> list[charts.Bar]:
    """The figures along one dimension at the release's level, everything else totalled."""
    wanted = next(d["level"] for d in payload["dimensions"] if d["name"] == dim)
    bars = []
    for row in rows(payload):
        if row["levels"][dim] != wanted or any(row["levels"][d] != "all" for d in row["levels"] if d != dim):
            continue
        if dim == "period" and row["count"] == 0:
            continue  # empty months would drown the chart; the data files keep them
        bars.append(charts.Bar(row["labels"][dim], row["count"], present.qualifier_label(row["qualifier"]),
                               partial=row["status"] == "floor"))
    return bars


def chart(payload: dict, dim: str, layout: charts.Layout = charts.WIDE) -> str:
    unit = _("people") if payload["unit"] == "persons" else _("incidents")
    title = _("%(unit)s, by %(dimension)s (as of %(day)s)") % {
        "unit": unit.capitalize(), "dimension": present.dimension_label(dim).lower(), "day": payload["as_of"]}
    return charts.bar_chart(title, chart_bars(payload, dim), key=f"{dim}-{layout.width}", layout=layout)


def readme(payload: dict) -> bytes:
    keys = source_keys(payload)
    lines = [_("Statistics as of %(day)s") % {"day": payload["as_of"]}, ""]
    lines += [f"- {note}" for note in present.notes(payload)]
    if payload["sources"]:
        lines += ["", _("Sources cited")]
        for sid, citation in sorted(payload["sources"].items(), key=lambda kv: int(keys[kv[0]][1:])):
            parts = [citation["title"], citation["publisher"], citation["published_on"] or "", citation["url"]]
            lines.append(f"{keys[sid]}: " + ", ".join(p for p in parts if p))
    lines += ["", _("Files: data.csv and data.json hold every figure; each chart shows one dimension.")]
    return ("\n".join(lines) + "\n").encode("utf-8")


def to_zip(payload: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        files = [("README.txt", readme(payload)), ("data.csv", to_csv(payload)), ("data.json", to_json(payload))]
        files += [(f"chart-{d['name']}.svg", chart(payload, d["name"]).encode()) for d in payload["dimensions"]]
        for name, data in files:
            z.writestr(zipfile.ZipInfo(name, ZIP_DATE), data)
    return buffer.getvalue()


def overview_chart(labels: dict, dim: str, level: str, rows_: list, title: str,
                   layout: charts.Layout = charts.WIDE) -> str:
    """A chart of exact counts for the researchers' own page."""
    bars = [charts.Bar(present.category_label(labels, dim, level, v), cell.value,
                       present.qualifier_label(cell.qualifier)) for v, cell in rows_ if v != cube.ALL]
    return charts.bar_chart(title, bars, key=f"o-{dim}-{layout.width}", layout=layout)
