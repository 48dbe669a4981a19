"""A month's assessment as an XLSX workbook: one row per person, one column per source headed by its label (its
points, signed: a deduction negative), the base and the score; real numbers and a frozen header row."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessments.facts import BONUS
from assessments.models import SheetStatus
from assessments.rules import ordered_sources, source_label
from hall import xlsx


def month_xlsx(rows: list[dict], month) -> bytes:
    sources = _sources(rows)
    header = [_("Staff"), _("Base"), *(source_label(source) for source in sources), _("Score"), _("Status")]
    book = xlsx.workbook()
    sheet = xlsx.sheet(book, f"{month:%Y-%m}", header, frozen_columns=1, widths=[16] + [12] * (len(header) - 1))
    for row in rows:
        totals = _totals(row)
        sheet.append(
            [
                row["staff"].display_name,
                row["base"],
                *(totals.get(source, Decimal(0)) for source in sources),
                row["score"],
                pgettext("month", "Closed") if row["status"] == SheetStatus.CLOSED else _("Not closed"),
            ]
        )
    return xlsx.saved(book)


def _totals(row: dict) -> dict[str, Decimal]:
    """What each source adds to the person's score (a deduction negative); voided lines count nothing."""
    totals = {}
    for line in row["deductions"] + row["bonuses"]:
        if not line["voided"]:
            sign = 1 if line["kind"] == BONUS else -1
            totals[line["source"]] = totals.get(line["source"], Decimal(0)) + sign * line["points"]
    return totals


def _sources(rows: list[dict]) -> list[str]:
    """Every registered source, and any other a closed sheet has stored lines of."""
    sources = ordered_sources()
    stored = {line["source"] for row in rows for line in row["deductions"] + row["bonuses"]}
    return sources + sorted(stored - set(sources))
