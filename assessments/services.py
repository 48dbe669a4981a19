"""Every write of the monthly assessment: the rules, an appeal and its decision, the month's close. The only
inputs are the rules table and appeal decisions: no service takes a score or a line."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from assessments import policies, selectors
from assessments.facts import BONUS, SOURCES
from assessments.models import (
    Appeal,
    AppealStatus,
    AssessmentRule,
    ClosedMonth,
    Sheet,
    SheetLine,
    SheetStatus,
)
from assessments.rules import BASE, rules_for, source_label
from hall import sla
from hall.calendar import working_days_between
from hall.errors import ApplicationError, MonthNotOver, NotPermitted
from hall.models import Role
from hall.notifications import notify
from hall.people import people_who_can
from hall.timeline import record_event

APPEAL_WORKING_DAYS = 5
APPEAL_CLOCK = "decide"
POINTS_MAX = Decimal("9999.99")  # the rules' columns: six digits, two of them after the point


class MonthClosed(ApplicationError):
    status_code = 409
    code = "month_closed"
    default_message = gettext_lazy("This month's assessment is closed.")


class OpenAppeals(ApplicationError):
    status_code = 409
    code = "open_appeals"
    default_message = gettext_lazy("Decide the month's open appeals first.")


def _link(month: dt.date) -> str:
    return f"/assessments/?month={month:%Y-%m}"


@dataclass(frozen=True)
class RuleChange:
    """A source's rule as the hall manager sets it: points per unit, the most it counts a month (None: no cap) and
    whether it counts at all. Its kind is the registered source's, never set."""

    source: str
    points: Decimal
    cap: Decimal | None = None
    active: bool = True


class RulesInvalid(ApplicationError):
    """Some of the rules asked for cannot be; `problems` says which ({source: {field: message}}). None was saved."""

    def __init__(self, problems: dict[str, dict[str, str]]):
        self.problems = problems
        super().__init__(
            " ".join(
                f"{source_label(source)}: {message}"
                for source, fields in problems.items()
                for message in fields.values()
            )
        )


def rules_set(*, hall, changes: list[RuleChange], actor) -> list[AssessmentRule]:
    """The hall manager sets some sources' rules, all or none: one change out of bounds refuses them all. A change
    applies to every month not closed yet; a closed month keeps the lines and scores it stored. Only the rules that
    differ from the hall's present ones are written (each with a timeline row); they are returned."""
    if not policies.may_set_rules(actor, hall):
        raise NotPermitted(_("Only the hall manager sets the assessment rules."))
    problems = {change.source: found for change in changes if (found := _rule_problems(change))}
    if problems:
        raise RulesInvalid(problems)
    with transaction.atomic():
        list(AssessmentRule.objects.select_for_update().filter(hall=hall))
        present = rules_for(hall)
        written = []
        for change in changes:
            rule = present[change.source]
            if (rule.points, rule.cap, rule.active) == (change.points, change.cap, change.active):
                continue
            kind = BONUS if change.source == BASE else SOURCES[change.source].kind
            row, _created = AssessmentRule.objects.update_or_create(
                hall=hall,
                source=change.source,
                defaults={"kind": kind, "points": change.points, "cap": change.cap, "active": change.active},
            )
            record_event(
                subject=row,
                action="rule_set",
                actor=actor,
                data={
                    "points": str(change.points),
                    "cap": None if change.cap is None else str(change.cap),
                    "active": change.active,
                },
            )
            written.append(row)
    return written


def _rule_problems(change: RuleChange) -> dict[str, str]:
    if change.source != BASE and change.source not in SOURCES:
        return {"source": _("No such fact source.")}
    found = {}
    if not _is_points(change.points):
        found["points"] = _("Points per unit are a number from 0 to 9999.99, with at most two decimals.")
    if change.cap is not None and not _is_points(change.cap):
        found["cap"] = _("A cap is a number from 0 to 9999.99, with at most two decimals, or empty for none.")
    if change.source == BASE and (change.cap is not None or not change.active):
        found["cap" if change.cap is not None else "active"] = _("The base score has no cap and always counts.")
    return found


def _is_points(value) -> bool:
    return (
        isinstance(value, Decimal)
        and value.is_finite()
        and 0 <= value <= POINTS_MAX
        and value == value.quantize(Decimal("0.01"))
    )


def sheet_appeal(*, sheet: Sheet, line: str, reason: str, actor) -> Appeal:
    """The person appeals one deduction line of their open sheet within APPEAL_WORKING_DAYS working days of its
    fact; the hall manager's decision runs on the "assessment-appeal" clock."""
    if not policies.may_appeal(actor, sheet):
        raise NotPermitted(_("Only the person assessed appeals their sheet."))
    with transaction.atomic():
        sheet = Sheet.objects.select_for_update().select_related("hall", "staff").get(pk=sheet.pk)
        if sheet.status != SheetStatus.OPEN:
            raise MonthClosed()
        found = next((item for item in selectors.live_lines(sheet) if item["key"] == line), None)
        if found is None or found["kind"] == BONUS:
            raise ApplicationError(_("No such deduction on this sheet."))
        if found["voided"] or sheet.appeals.filter(line=line).exists():
            raise ApplicationError(_("This line has been appealed already."))
        hall = sheet.hall
        fact_day = timezone.localtime(found["at"], hall.tz).date()
        if working_days_between(fact_day, hall.today()) > APPEAL_WORKING_DAYS:
            raise ApplicationError(
                _("A line may be appealed within %(days)s working days of its record.") % {"days": APPEAL_WORKING_DAYS}
            )
        appeal = Appeal.objects.create(
            hall=hall, sheet=sheet, line=line, source=found["source"], record=found["record"], reason=reason
        )
        managers = list(people_who_can(hall, [Role.HALL_MANAGER]))
        sla.clock_start(
            subject=appeal,
            name=APPEAL_CLOCK,
            policy_key="assessment-appeal",
            responsible=managers[0] if managers else None,
            label=(gettext_noop("Assessment appeal of %(name)s"), {"name": str(sheet.staff)}),
            link=_link(sheet.month),
        )
        record_event(subject=sheet, action="appeal", actor=actor, note=reason, data={"line": line})
        notify(
            recipients=managers,
            hall_id=hall.pk,
            kind="assessment_appeal",
            params={"name": str(sheet.staff), "month": f"{sheet.month:%Y-%m}", "record": found["record"]},
            link=_link(sheet.month),
        )
    return appeal


def sheet_decide(*, sheet: Sheet, accept: bool, note: str = "", line: str = "", actor) -> Appeal:
    """The hall manager decides the sheet's open appeal (the one against `line` when there are several):
    accepted, the line is voided — kept and shown struck through with the decision."""
    if not policies.may_manage(actor):
        raise NotPermitted(_("Only the hall manager decides appeals."))
    with transaction.atomic():
        sheet = Sheet.objects.select_for_update().select_related("hall", "staff").get(pk=sheet.pk)
        appeals = sheet.appeals.filter(status=AppealStatus.OPEN)
        if line:
            appeals = appeals.filter(line=line)
        appeals = list(appeals[:2])
        if not appeals:
            raise ApplicationError(_("This sheet has no open appeal."))
        if len(appeals) > 1:
            raise ApplicationError(_("Say which line's appeal is decided."))
        appeal = appeals[0]
        now = timezone.now()
        appeal.status = AppealStatus.ACCEPTED if accept else AppealStatus.REJECTED
        appeal.decided_by = actor
        appeal.decided_at = now
        appeal.note = note
        appeal.save(update_fields=["status", "decided_by", "decided_at", "note"])
        sla.clock_stop(subject=appeal, name=APPEAL_CLOCK, at=now)
        record_event(
            subject=sheet,
            action="appeal_accepted" if accept else "appeal_rejected",
            actor=actor,
            note=note,
            data={"line": appeal.line},
        )
        notify(
            recipients=[sheet.staff],
            hall_id=sheet.hall_id,
            kind="assessment_decided.accepted" if accept else "assessment_decided.rejected",
            params={"record": appeal.record},
            link="/assessment/",
        )
    return appeal


def month_close(*, hall, month: dt.date, actor) -> list[Sheet]:
    """Freezes every sheet of the month: its lines, base and score are stored and later facts or rule changes do not
    touch it. Refused before the month is over and while an appeal of it is undecided (decide it first: an appeal
    never carries over into a closed month)."""
    if not policies.may_manage(actor):
        raise NotPermitted(_("Only the hall manager closes the assessment month."))
    first, last = selectors.month_bounds(month)
    if last >= hall.today():
        raise MonthNotOver()
    with transaction.atomic():
        if ClosedMonth.objects.select_for_update().filter(hall=hall, month=first).exists():
            raise MonthClosed()
        if Appeal.objects.filter(hall=hall, sheet__month=first, status=AppealStatus.OPEN).exists():
            raise OpenAppeals()
        sheets = selectors.sheets_of(hall, first)
        rows = selectors.sheet_rows(hall, first, sheets)
        now = timezone.now()
        ClosedMonth.objects.create(hall=hall, month=first, closed_at=now, closed_by=actor)
        stored = []
        for row in rows:
            sheet = row["sheet"]
            sheet.status = SheetStatus.CLOSED
            sheet.base = row["base"]
            sheet.score = row["score"]
            sheet.closed_at = now
            sheet.save(update_fields=["status", "base", "score", "closed_at"])
            stored += [
                SheetLine(
                    sheet=sheet,
                    **{k: item[k] for k in ("key", "source", "kind", "record", "link", "at", "points", "note")},
                    voided=item["voided"],
                    decision=item["decision"],
                )
                for item in row["deductions"] + row["bonuses"]
            ]
            record_event(
                subject=sheet,
                action="close",
                actor=actor,
                to_status=SheetStatus.CLOSED,
                data={"score": str(row["score"])},
            )
        SheetLine.objects.bulk_create(stored)
    return [row["sheet"] for row in rows]
