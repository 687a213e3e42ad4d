"""Statistics pages (/staff/statistics/): the researchers' exact counts with charts, and
releases that are safe to publish, with their files."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safepassage.evidence.actions import shares
from safepassage.evidence.models.incidents import UNITS
from safepassage.evidence.views.common import page_of, researcher_view
from safepassage.lib.webforms import save

from . import exports, present, releases
from .charts import NARROW, WIDE

GRANULARITIES = [
    ("act_type:code", gettext_lazy("Act type")),
    ("perpetrator:code", gettext_lazy("Perpetrator")),
    ("period:year", gettext_lazy("Year")),
    ("period:month", gettext_lazy("Month")),
    ("region:country", gettext_lazy("Country")),
    ("region:region", gettext_lazy("Region")),
]


class ReleaseForm(forms.Form):
    first = forms.ChoiceField(label=gettext_lazy("Count by"), choices=GRANULARITIES, initial="act_type:code")
    second = forms.ChoiceField(label=gettext_lazy("And by (optional)"), required=False,
                               choices=[("", gettext_lazy("Nothing else"))] + GRANULARITIES)
    unit = forms.ChoiceField(label=gettext_lazy("Counting"), choices=UNITS, initial="persons")
    threshold = forms.IntegerField(
        label=gettext_lazy("Hide figures below"), initial=releases.DEFAULT_THRESHOLD,
        min_value=releases.MIN_THRESHOLD, max_value=releases.MAX_THRESHOLD,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=gettext_lazy("5 unless you have a reason. A smaller figure is shown only when it stands in a "
                               "cited public source."))

    def clean(self):
        data = super().clean()
        chosen = [data.get("first"), data.get("second")]
        data["dims"] = [tuple(c.split(":")) for c in chosen if c]
        return data


def _both(draw) -> dict:
    """A chart drawn twice, for wide screens and for phones (the page shows one of them). Safe to
    insert: charts.py escapes every text it draws."""
    return {"wide": mark_safe(draw(WIDE)), "narrow": mark_safe(draw(NARROW))}  # noqa: S308


@researcher_view
def overview(request):
    unit = request.GET.get("unit") if request.GET.get("unit") in dict(UNITS) else "persons"
    shares.wipe_derived(request.user, request.vault_secret)
    o = releases.overview(request.user, unit)
    labels = releases.labels(request.user.organisation_id)
    levels = releases.OVERVIEW_LEVELS
    tables = []
    for dim, rows in o.tables.items():
        title = present.dimension_label(dim)
        tables.append({"dim": dim, "title": title, "chart": _both(
            lambda layout, dim=dim, rows=rows, title=title: exports.overview_chart(
                labels, dim, levels[dim], rows, title, layout)),
                       "rows": [(present.category_label(labels, dim, levels[dim], v), cell,
                                 present.qualifier_label(cell.qualifier)) for v, cell in rows]})
    return render(request, "reports/overview.html", {"o": o, "tables": tables, "units": UNITS, "unit": unit})


@researcher_view
def release_list(request):
    page = page_of(request, releases.releases_for(request.user))
    return render(request, "reports/release_list.html", {"page": page})


@researcher_view
def release_new(request):
    form = ReleaseForm(request.POST or None)
    made = []
    if request.method == "POST" and save(form, lambda dims, unit, threshold, **_rest: made.append(
            releases.make_release(request.user, request.vault_secret, dims=dims, unit=unit, threshold=threshold))):
        messages.success(request, _("Release ready. Check it, then download its files."))
        return redirect("statistics:release", pk=made[0].pk)
    return render(request, "reports/release_form.html", {"form": form})


def _release_or_404(request, pk):
    return get_object_or_404(releases.releases_for(request.user), pk=pk)


@researcher_view
def release_detail(request, pk):
    release = _release_or_404(request, pk)
    payload = releases.open_release(request.user, request.vault_secret, release)
    dims = [d["name"] for d in payload["dimensions"]]
    charts = [_both(lambda layout, d=d: exports.chart(payload, d, layout)) for d in dims]
    rows = exports.rows(payload)
    return render(request, "reports/release_detail.html", {
        "release": release, "payload": payload, "charts": charts, "rows": rows, "dims": dims,
        "dim_labels": [present.dimension_label(d) for d in dims], "notes": present.notes(payload),
        "source_keys": exports.source_keys(payload),
        "files": ["release.zip", "data.csv", "data.json"] + [f"chart-{d}.svg" for d in dims]})


FILES = {"release.zip": ("application/zip", exports.to_zip), "data.csv": ("text/csv; charset=utf-8", exports.to_csv),
         "data.json": ("application/json", exports.to_json)}


@researcher_view
def release_file(request, pk, name):
    release = _release_or_404(request, pk)
    payload = releases.open_release(request.user, request.vault_secret, release,
                                    audit_as="evidence.release_downloaded")
    if name in FILES:
        content_type, make = FILES[name]
        data = make(payload)
    elif name.startswith("chart-") and name.endswith(".svg") and name[6:-4] in [
            d["name"] for d in payload["dimensions"]]:
        content_type, data = "image/svg+xml", exports.chart(payload, name[6:-4]).encode()
    else:
        raise Http404
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="statistics-{release.short_ref}-{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


app_name = "statistics"
urlpatterns = [
    path("", overview, name="overview"),
    path("releases/", release_list, name="releases"),
    path("releases/new/", release_new, name="release_new"),
    path("releases/<uuid:pk>/", release_detail, name="release"),
    path("releases/<uuid:pk>/<str:name>", release_file, name="release_file"),
]
