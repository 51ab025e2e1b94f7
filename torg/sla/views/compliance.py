"""The SLA compliance page: figures per group and month beside a chart of each month's compliance, and as CSV."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _

from torg.core.exports import csv_lines
from torg.core.views.workspace import workspace
from torg.sla import compliance
from torg.sla.forms import ComplianceForm


def _default_filters() -> dict[str, Any]:
    first, last = compliance.month_span(None, None)
    return {"group_by": compliance.GroupBy.ORGANIZATION.value, "first": first, "last": last}


@workspace
def compliance_page(request: HttpRequest) -> HttpResponse:
    """Anyone with a workspace role; each sees the clocks of the organizations they reach."""
    query = request.GET.copy()
    export = query.pop("format", None) == ["csv"]
    if query:
        form = ComplianceForm(query, user=request.user)
        if not form.is_valid():
            return render(request, "sla/compliance.html", {"form": form}, status=400)
        filters = form.filters()
    else:
        filters = _default_filters()
        initial = {"group_by": filters["group_by"], "from": filters["first"], "to": filters["last"]}
        form = ComplianceForm(initial=initial, user=request.user)
    report = compliance.report(request.user, **filters)
    if export:
        return _csv(report)
    context = {
        "form": form,
        "report": report,
        "group_label": compliance.GroupBy(report.group_by).label,
        "csv_query": (query.urlencode() + "&" if query else "") + "format=csv",
    }
    return render(request, "sla/compliance.html", context)


def _percent(value: float | None) -> str:
    return "" if value is None else formats.number_format(value, 1, use_l10n=True)


def _csv(report: compliance.Report) -> HttpResponse:
    """The table per group and month, as on the page; labels that look like formulas stay text."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"sla-compliance-{report.first:%Y-%m}-{report.last:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    header = [
        _("Month"),
        compliance.GroupBy(report.group_by).label,
        _("Cases"),
        _("Response met"),
        _("Response breached"),
        _("Response running"),
        _("Response compliance (%)"),
        _("Resolution met"),
        _("Resolution breached"),
        _("Resolution open"),
        _("Resolution compliance (%)"),
    ]
    rows = (
        [
            f"{row.month:%Y-%m}",
            row.label,
            row.cases,
            row.response_met,
            row.response_breached,
            row.response_running,
            _percent(row.response_compliance),
            row.resolution_met,
            row.resolution_breached,
            row.resolution_open,
            _percent(row.resolution_compliance),
        ]
        for row in report.rows
    )
    response.writelines(csv_lines([header, *rows]))
    return response
