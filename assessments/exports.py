"""A month's assessment as an XLSX workbook: one row per person, one column per source (its points, signed: a
deduction negative), the base and the score; real numbers and a frozen header."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from assessments.rules import known_sources

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def month_xlsx(rows: list[dict], month) -> bytes:
    sources = [source for source in known_sources() if source != "base"]
    book = Workbook()
    sheet = book.active
    sheet.title = f"{month:%Y-%m}"
    sheet.append([_("Staff"), _("Base"), *sources, _("Score"), _("Status")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        totals = dict.fromkeys(sources, 0.0)
        for line in row["deductions"]:
            if not line["voided"]:
                totals[line["source"]] = totals.get(line["source"], 0.0) - float(line["points"])
        for line in row["bonuses"]:
            if not line["voided"]:
                totals[line["source"]] = totals.get(line["source"], 0.0) + float(line["points"])
        staff = row["staff"]
        sheet.append(
            [
                staff.name or staff.username,
                float(row["base"]),
                *(totals[source] for source in sources),
                float(row["score"]),
                row["status"],
            ]
        )
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
