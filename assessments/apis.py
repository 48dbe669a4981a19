"""The monthly assessment's API. Every input serializer names its fields: anything else posted (a line, a score)
is ignored, so there is no way in for a free score."""

import datetime as dt
import re

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import exports, policies, selectors, services
from assessments.models import Sheet
from assessments.rules import rules_for
from hall.apis import IdField
from hall.limits import TEXT_MAX
from hall.models import Hall
from hall.permissions import ensure_hall, get_in_hall
from hall.xlsx import XLSX_TYPE

MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
NOTE_MAX = 500


class MonthField(serializers.CharField):
    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not MONTH.fullmatch(value):
            raise serializers.ValidationError(_("A month is written YYYY-MM, e.g. 2026-11."))
        return dt.date(int(value[:4]), int(value[5:]), 1)


class MonthInput(serializers.Serializer):
    hall = IdField(required=False)
    month = MonthField(required=False)

    def validate(self, data):
        user = self.context["request"].user
        hall_id = data.get("hall") or user.hall_id
        if hall_id is None:
            raise serializers.ValidationError({"hall": [_("Say which hall.")]})
        hall = get_object_or_404(Hall, pk=hall_id)
        ensure_hall(user, hall.pk)
        data["hall"] = hall
        data["month"] = data.get("month") or hall.today().replace(day=1)
        if data["month"] > hall.today():
            raise serializers.ValidationError({"month": [_("This month has not started yet.")]})
        return data


def _line(line: dict) -> dict:
    return {
        "line": line["key"],
        "source": line["source"],
        "record": line["record"],
        "link": line["link"],
        "at": line["at"].isoformat(),
        "points": float(line["points"]),
        "note": line["note"],
        "voided": line["voided"],
        "decision": line["decision"],
    }


def _appeal(appeal) -> dict:
    return {
        "id": appeal.pk,
        "line": appeal.line,
        "reason": appeal.reason,
        "status": appeal.status,
        "note": appeal.note,
        "decided_at": appeal.decided_at.isoformat() if appeal.decided_at else None,
    }


def row_output(row: dict) -> dict:
    staff = row["staff"]
    return {
        "id": row["id"],
        "staff": {"id": staff.pk, "username": staff.username, "name": staff.name},
        "month": f"{row['month']:%Y-%m}",
        "base": float(row["base"]),
        "deductions": [_line(line) for line in row["deductions"]],
        "bonuses": [_line(line) for line in row["bonuses"]],
        "score": float(row["score"]),
        "status": row["status"],
        "appeals": [_appeal(appeal) for appeal in row["appeals"]],
    }


def visible_rows(request, hall, month) -> list[dict]:
    """The month's sheets the user may see: all for the hall manager, else only their own."""
    sheets = selectors.sheets_of(hall, month)
    if not policies.sees_all(request.user):
        sheets = [sheet for sheet in sheets if sheet.staff_id == request.user.pk]
    return selectors.sheet_rows(hall, month, sheets)


MONTH_PARAMETERS = [OpenApiParameter("hall", int), OpenApiParameter("month", str, description="YYYY-MM")]


class AssessmentListApi(APIView):
    """`GET /api/assessments/?hall=&month=`: one row per person (the hall manager), or the caller's own."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=MONTH_PARAMETERS, responses={200: dict})
    def get(self, request):
        data = MonthInput(data=request.query_params, context={"request": request})
        data.is_valid(raise_exception=True)
        hall, month = data.validated_data["hall"], data.validated_data["month"]
        return Response([row_output(row) for row in visible_rows(request, hall, month)])


class AssessmentXlsxApi(APIView):
    """The month's sheets as a workbook (the hall manager)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=MONTH_PARAMETERS, responses={(200, XLSX_TYPE): OpenApiTypes.BINARY})
    def get(self, request):
        data = MonthInput(data=request.query_params, context={"request": request})
        data.is_valid(raise_exception=True)
        hall, month = data.validated_data["hall"], data.validated_data["month"]
        if not policies.sees_all(request.user):
            raise Http404
        response = HttpResponse(exports.month_xlsx(visible_rows(request, hall, month), month), XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="assessments-hall{hall.pk}-{month:%Y-%m}.xlsx"'
        return response


def _sheet_for(request, pk: int) -> Sheet:
    sheet = get_in_hall(Sheet.objects.select_related("hall", "staff"), request.user, pk=pk)
    if not policies.may_see(request.user, sheet):
        raise Http404
    return sheet


def _sheet_answer(request, sheet: Sheet, status: int = 200) -> Response:
    row = selectors.sheet_rows(sheet.hall, sheet.month, [sheet])[0]
    return Response(row_output(row), status=status)


class AppealInput(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX)
    line = serializers.CharField(max_length=40)


class AssessmentAppealApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=AppealInput, responses={201: dict})
    def post(self, request, pk: int):
        sheet = _sheet_for(request, pk)
        data = AppealInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.sheet_appeal(sheet=sheet, actor=request.user, **data.validated_data)
        return _sheet_answer(request, sheet, 201)


class DecideInput(serializers.Serializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")
    line = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class AssessmentDecideApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=DecideInput, responses={200: dict})
    def post(self, request, pk: int):
        sheet = _sheet_for(request, pk)
        data = DecideInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.sheet_decide(sheet=sheet, actor=request.user, **data.validated_data)
        return _sheet_answer(request, sheet)


class CloseInput(MonthInput):
    hall = IdField()
    month = MonthField()


class AssessmentCloseApi(APIView):
    """Closes a month that is over (the hall manager): 409 `month_not_over`, `month_closed` or `open_appeals`."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=CloseInput, responses={201: dict})
    def post(self, request):
        data = CloseInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        hall, month = data.validated_data["hall"], data.validated_data["month"]
        services.month_close(hall=hall, month=month, actor=request.user)
        return Response([row_output(row) for row in visible_rows(request, hall, month)], status=201)


class RuleInput(serializers.Serializer):
    """Read as numbers only: what a rule may be (a known source, its bounds) is services.rules_set's to say, for the
    rules page alike."""

    hall = IdField(required=False)
    source = serializers.CharField(max_length=40)
    points = serializers.DecimalField(max_digits=None, decimal_places=None)
    cap = serializers.DecimalField(max_digits=None, decimal_places=None, required=False, allow_null=True)
    active = serializers.BooleanField(required=False, default=True)


def _rules_output(hall) -> list[dict]:
    return [
        {
            "source": rule.source,
            "kind": rule.kind,
            "points": float(rule.points),
            "cap": None if rule.cap is None else float(rule.cap),
            "active": rule.active,
        }
        for rule in rules_for(hall).values()
    ]


class AssessmentRulesApi(APIView):
    """The hall's rules (`GET`, anyone of the hall) and a change of one (`POST`, the hall manager)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("hall", int)], responses={200: dict})
    def get(self, request):
        hall = request.query_params.get("hall")
        data = MonthInput(data={"hall": hall} if hall else {}, context={"request": request})
        data.is_valid(raise_exception=True)
        return Response(_rules_output(data.validated_data["hall"]))

    @extend_schema(request=RuleInput, responses={200: dict})
    def post(self, request):
        data = RuleInput(data=request.data)
        data.is_valid(raise_exception=True)
        hall_id = data.validated_data.pop("hall", None) or request.user.hall_id
        hall = get_object_or_404(Hall, pk=hall_id or 0)
        ensure_hall(request.user, hall.pk)
        change = services.RuleChange(cap=data.validated_data.pop("cap", None), **data.validated_data)
        services.rules_set(hall=hall, changes=[change], actor=request.user)
        return Response(_rules_output(hall))
