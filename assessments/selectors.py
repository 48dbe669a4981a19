"""The monthly sheets as read: live from the facts and the rules while the month is open, stored once closed."""

import calendar
import datetime as dt
import hashlib
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from assessments.facts import BONUS, SOURCES, facts_of
from assessments.models import Appeal, AppealStatus, ClosedMonth, Sheet, SheetStatus
from assessments.rules import BASE, rules_for, source_label
from hall.models import HALL_ROLES
from hall.people import people_who_can

CENT = Decimal("0.01")


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def is_closed(hall, month: dt.date) -> bool:
    return ClosedMonth.objects.filter(hall=hall, month=month).exists()


def last_closed_month(hall) -> dt.date | None:
    return ClosedMonth.objects.filter(hall=hall).order_by("-month").values_list("month", flat=True).first()


def line_key(fact) -> str:
    raw = f"{fact.source}|{fact.staff_id}|{fact.link}|{fact.at.isoformat()}|{fact.record}"
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


def sheets_of(hall, month: dt.date) -> list[Sheet]:
    """The month's sheet of every person of the hall (created for an open month as it is first read, so that a
    sheet has an id to appeal against), by person; a closed month only has the sheets it closed."""
    if not is_closed(hall, month):
        people = list(people_who_can(hall, HALL_ROLES).values_list("pk", flat=True))
        Sheet.objects.bulk_create([Sheet(hall=hall, staff_id=pk, month=month) for pk in people], ignore_conflicts=True)
        sheets = Sheet.objects.filter(hall=hall, month=month, staff_id__in=people)
    else:
        sheets = Sheet.objects.filter(hall=hall, month=month, status=SheetStatus.CLOSED)
    return list(sheets.select_related("staff").order_by("staff__username"))


def sheet_rows(hall, month: dt.date, sheets: list[Sheet]) -> list[dict]:
    """Each sheet as the API gives it: base, deduction and bonus lines, score, status, appeals."""
    appeals = defaultdict(list)
    for appeal in Appeal.objects.filter(sheet__in=sheets).select_related("decided_by"):
        appeals[appeal.sheet_id].append(appeal)
    if sheets and sheets[0].status == SheetStatus.CLOSED:
        return [_stored_row(sheet, appeals[sheet.pk]) for sheet in sheets]
    rules = rules_for(hall)
    lines = _live_lines(hall, month, {sheet.staff_id for sheet in sheets}, rules, appeals, sheets)
    base = rules[BASE].points
    return [_row(sheet, base, lines[sheet.staff_id], appeals[sheet.pk]) for sheet in sheets]


def live_lines(sheet: Sheet) -> list[dict]:
    """One open sheet's lines, computed now."""
    appeals = {sheet.pk: list(sheet.appeals.all())}
    return _live_lines(sheet.hall, sheet.month, {sheet.staff_id}, rules_for(sheet.hall), appeals, [sheet])[
        sheet.staff_id
    ]


def _live_lines(hall, month, staff_ids, rules, appeals, sheets) -> dict[int, list[dict]]:
    first, last = month_bounds(month)
    sheet_of = {sheet.staff_id: sheet.pk for sheet in sheets}
    accepted = {
        (sheet_id, appeal.line): appeal
        for sheet_id, items in appeals.items()
        for appeal in items
        if appeal.status == AppealStatus.ACCEPTED
    }
    found = defaultdict(list)
    for fact in facts_of(hall, first, last):
        rule = rules.get(fact.source)
        if fact.staff_id not in staff_ids or rule is None or not rule.active or fact.source not in SOURCES:
            continue
        key = line_key(fact)
        decided = accepted.get((sheet_of[fact.staff_id], key))
        found[fact.staff_id].append(
            {
                "key": key,
                "source": fact.source,
                "kind": rule.kind,
                "record": fact.record,
                "link": fact.link,
                "at": fact.at,
                "points": (rule.points * Decimal(str(fact.amount))).quantize(CENT),
                "note": fact.note,
                "voided": decided is not None,
                "decision": decided.note if decided else "",
            }
        )
    for lines in found.values():
        lines.sort(key=lambda line: (line["at"], line["key"]))
        _apply_caps(lines, rules)
    return found


def _apply_caps(lines: list[dict], rules) -> None:
    """A source counts at most its cap in a month: the lines after it is reached count what is left of it."""
    used = defaultdict(Decimal)
    for line in lines:
        cap = rules[line["source"]].cap
        if line["voided"] or cap is None:
            continue
        left = max(cap - used[line["source"]], Decimal(0))
        if line["points"] > left:
            line["note"] = " ".join(
                filter(None, [line["note"], _("Capped at %(cap)s a month.") % {"cap": _points(cap)}])
            )
            line["points"] = left
        used[line["source"]] += line["points"]


def _points(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _row(sheet: Sheet, base: Decimal, lines: list[dict], appeals: list[Appeal]) -> dict:
    for line in lines:
        line["label"] = source_label(line["source"])
    deductions = [line for line in lines if line["kind"] != BONUS]
    bonuses = [line for line in lines if line["kind"] == BONUS]
    counted = lambda items: sum((line["points"] for line in items if not line["voided"]), Decimal(0))  # noqa: E731
    return {
        "id": sheet.pk,
        "sheet": sheet,
        "staff": sheet.staff,
        "month": sheet.month,
        "base": base,
        "deductions": deductions,
        "bonuses": bonuses,
        "score": base - counted(deductions) + counted(bonuses),
        "status": sheet.status,
        "appeals": appeals,
    }


def _stored_row(sheet: Sheet, appeals: list[Appeal]) -> dict:
    lines = [
        {
            "key": line.key,
            "source": line.source,
            "kind": line.kind,
            "record": line.record,
            "link": line.link,
            "at": line.at,
            "points": line.points,
            "note": line.note,
            "voided": line.voided,
            "decision": line.decision,
        }
        for line in sheet.lines.all()
    ]
    row = _row(sheet, sheet.base, lines, appeals)
    row["score"] = sheet.score
    return row
