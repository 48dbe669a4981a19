"""The reports as files: a table of figures as CSV (UTF-8 with a BOM, which spreadsheet programs read as Chinese)
and as an XLSX workbook with real numbers (rates as percentages, minutes to one decimal), a frozen header row,
figures that miss their target in red and the targets beside them; the month's report as one workbook with a sheet
per area. Used by the API and the pages alike."""

import csv
import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl.styles import Font

from hall import xlsx
from reports.labels import (
    AREA_LABELS,
    AREAS,
    FIGURE_LABELS,
    TARGET_AT_LEAST,
    area_of,
    figure_kind,
    figure_label,
    figure_order,
    misses_target,
)

CSV_TYPE = "text/csv; charset=utf-8"
FORMATS = {"rate": "0.0%", "minutes": "0.0", "count": "0"}
RED = Font(color="FFC00000")


# A table: the columns of some figures over rows of groups


def _columns(names: list[str], rows: list[dict]) -> list[tuple[str, str, str]]:
    """(figure, part, kind) per column: each figure's value; a rate's numerator and denominator beside it."""
    kinds = {}
    for row in rows:
        for name in names:
            if name in row["figures"] and name not in kinds:
                kinds[name] = figure_kind(row["figures"][name])
    columns = []
    for name in names:
        kind = kinds.get(name, "count")
        columns.append((name, "value", kind))
        if kind == "rate":
            columns += [(name, "numerator", "count"), (name, "denominator", "count")]
    return columns


def _header(column: tuple[str, str, str]) -> str:
    name, part, _kind = column
    if part == "numerator":
        return _("%(figure)s: numerator") % {"figure": figure_label(name)}
    if part == "denominator":
        return _("%(figure)s: denominator") % {"figure": figure_label(name)}
    return figure_label(name)


def _cell(row: dict, column: tuple[str, str, str]):
    name, part, _kind = column
    value = row["figures"].get(name, {}).get(part)
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _names(rows: list[dict]) -> list[str]:
    return figure_order({name for row in rows for name in row["figures"]})


def _target_cells(columns, targets: dict) -> list:
    return [targets.get(name) if part == "value" and name in TARGET_AT_LEAST else None for name, part, _k in columns]


# CSV


def kpis_csv(answer: dict) -> bytes:
    """The kpis answer (reports.selectors.kpis_answer) as CSV: the values as the API gives them, a row per group and
    a last row with the targets."""
    columns = _columns(_names(answer["rows"]), answer["rows"])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Group key"), _("Group"), *[_header(column) for column in columns]])
    for row in answer["rows"]:
        writer.writerow([row["key"], row["label"], *[_csv_value(_cell(row, column)) for column in columns]])
    writer.writerow(["", _("Target"), *[_csv_value(value) for value in _target_cells(columns, answer["targets"])]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_value(value) -> str:
    return "" if value is None else repr(value) if isinstance(value, float) else str(value)


# XLSX


def kpis_xlsx(answer: dict) -> bytes:
    """The kpis answer as a workbook: the table on its first sheet, the targets on the second."""
    book = xlsx.workbook()
    _table(book, _("Figures"), answer["rows"], _names(answer["rows"]), answer["targets"])
    _targets_sheet(book, answer["targets"])
    return xlsx.saved(book)


def monthly_xlsx(answer: dict) -> bytes:
    """The month's report (reports.selectors.monthly_answer): a sheet per area (queue, repairs, complaints, the
    hall) with every grouping of the month one under the other, the targets, and the changes since the close."""
    book = xlsx.workbook()
    rows = [
        {**row, "grouping": _grouping_label(group_by)}
        for group_by, group_rows in answer["groups"].items()
        for row in group_rows
    ]
    names = _names(rows)
    for area in AREAS:
        area_names = [name for name in names if area_of(name) == area]
        _table(book, AREA_LABELS[area], rows, area_names, answer["targets"], grouped=True)
    _targets_sheet(book, answer["targets"])
    sheet = xlsx.sheet(book, _("Month"))
    sheet.append([_("Hall"), answer["hall_name"]])
    sheet.append([_("Month"), answer["month"]])
    sheet.append([_("Status"), pgettext("month", "Closed") if answer["status"] == "closed" else _("Not closed")])
    if answer["closed_at"]:
        sheet.append([_("Closed at"), answer["closed_at"]])
    if answer["changes_since_close"]:
        sheet.append([])
        sheet.append([_("Changes since the close")])
        for change in answer["changes_since_close"]:
            sheet.append([change["note"]])
    sheet.column_dimensions["A"].width = 16
    return xlsx.saved(book)


def _table(book, title, rows: list[dict], names: list[str], targets: dict, *, grouped: bool = False) -> None:
    columns = _columns(names, rows)
    lead = [_("Grouping"), _("Group")] if grouped else [_("Group")]
    header = lead + [_header(column) for column in columns]
    widths = [18] * len(lead) + [14] * len(columns)
    sheet = xlsx.sheet(book, title, header, frozen_columns=len(lead), widths=widths)
    for row in rows:
        cells = ([row["grouping"]] if grouped else []) + [row["label"]]
        sheet.append(cells + [_cell(row, column) for column in columns])
        line = sheet.max_row
        for index, (name, part, kind) in enumerate(columns, start=len(lead) + 1):
            cell = sheet.cell(line, index)
            # A count that is an average (counters open, arrivals per counter) keeps its fraction.
            cell.number_format = "0.00" if kind == "count" and isinstance(cell.value, float) else FORMATS[kind]
            if part == "value" and misses_target(name, row["figures"].get(name), targets):
                cell.font = RED
    sheet.append([*([""] * (len(lead) - 1)), _("Target"), *_target_cells(columns, targets)])
    for index, (_name, _part, kind) in enumerate(columns, start=len(lead) + 1):
        sheet.cell(sheet.max_row, index).number_format = FORMATS[kind]


def _targets_sheet(book, targets: dict) -> None:
    sheet = xlsx.sheet(book, _("Targets"), [_("Figure"), _("Target"), _("Rule")], widths=[24])
    for name, at_least in TARGET_AT_LEAST.items():
        sheet.append([str(FIGURE_LABELS[name]), targets[name], _("at least") if at_least else _("at most")])
        sheet.cell(sheet.max_row, 2).number_format = FORMATS["rate"]


def _grouping_label(group_by: str) -> str:
    return str(GROUPING_LABELS.get(group_by, group_by))


GROUPING_LABELS = {
    "total": gettext_lazy("Total"),
    "business_type": gettext_lazy("Business type"),
    "counter": gettext_lazy("Counter"),
    "clerk": gettext_lazy("Clerk"),
    "week": gettext_lazy("Week"),
}
