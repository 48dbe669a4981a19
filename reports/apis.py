import datetime as dt
import re

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from hall.apis import IdField, refused, whole_id
from hall.models import REPORT_ROLES, Hall
from hall.permissions import HasRole
from hall.xlsx import XLSX_TYPE
from reports import exports, selectors, services
from reports.engine import GROUPINGS
from reports.policies import report_halls

# The longest period one request may ask for: two years of days.
MAX_DAYS = 731
MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")


class KpisInput(serializers.Serializer):
    hall = serializers.CharField(help_text='A hall id, or "all": every hall the caller may read the reports of.')
    # "from" is a Python keyword: the field is declared under its API name below.
    to = serializers.DateField()
    group_by = serializers.ChoiceField(choices=list(GROUPINGS), default="total")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        return fields

    def validate_hall(self, value):
        halls = report_halls(self.context["request"].user)
        if value == "all":
            return list(halls.order_by("pk"))
        pk = whole_id(value)
        hall = halls.filter(pk=pk).first() if pk is not None else None
        if hall is None:
            raise serializers.ValidationError(_("No such hall among the halls you may see."))
        return [hall]

    def validate(self, data):
        if data["from"] > data["to"]:
            raise serializers.ValidationError({"to": _("The period ends before it starts.")})
        if (data["to"] - data["from"]).days >= MAX_DAYS:
            raise serializers.ValidationError({"to": _("A period is at most two years.")})
        if not data["hall"]:
            raise serializers.ValidationError({"hall": _("You may see no hall.")})
        return data


KPIS_PARAMETERS = [
    OpenApiParameter("hall", str, required=True, description='A hall id or "all".'),
    OpenApiParameter("from", dt.date, required=True),
    OpenApiParameter("to", dt.date, required=True),
    OpenApiParameter("group_by", str, enum=list(GROUPINGS)),
]


class KpisApi(APIView):
    permission_classes = [HasRole.of(*REPORT_ROLES)]

    @extend_schema(parameters=KPIS_PARAMETERS, responses={200: dict})
    def get(self, request):
        return Response(self.answer(request))

    def answer(self, request) -> dict:
        data = KpisInput(data=request.query_params, context={"request": request})
        data.is_valid(raise_exception=True)
        params = data.validated_data
        return selectors.kpis_answer(
            halls=params["hall"],
            first=params["from"],
            last=params["to"],
            group_by=params["group_by"],
            hall_param=request.query_params["hall"],
        )


class JsonErrors(BaseContentNegotiation):
    """A download answers its file, or its errors in JSON, whatever the browser says it accepts."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class DownloadMixin:
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JsonErrors


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class KpisCsvApi(DownloadMixin, KpisApi):
    """The kpis table as CSV (UTF-8 with a BOM); bad questions answer 400 JSON as the table's API does."""

    @extend_schema(parameters=KPIS_PARAMETERS, responses={(200, "text/csv"): OpenApiTypes.BINARY})
    def get(self, request):
        answer = self.answer(request)
        return download(exports.kpis_csv(answer), exports.CSV_TYPE, _filename(answer, "csv"))


class KpisXlsxApi(DownloadMixin, KpisApi):
    """The kpis table as an XLSX workbook; bad questions answer 400 JSON as the table's API does."""

    @extend_schema(parameters=KPIS_PARAMETERS, responses={(200, XLSX_TYPE): OpenApiTypes.BINARY})
    def get(self, request):
        answer = self.answer(request)
        return download(exports.kpis_xlsx(answer), XLSX_TYPE, _filename(answer, "xlsx"))


def _filename(answer: dict, extension: str) -> str:
    hall = answer["hall"] if answer["hall"] == "all" else f"hall{answer['hall']}"
    return f"kpis-{hall}-{answer['from']}-{answer['to']}-{answer['group_by']}.{extension}"


# The dashboard


class DashboardApi(APIView):
    """Today's total figures and the live floor of a hall whose reports the caller reads; 404 for another hall."""

    permission_classes = [HasRole.of(*REPORT_ROLES)]

    @extend_schema(responses={200: dict})
    def get(self, request, pk: int):
        hall = get_object_or_404(report_halls(request.user), pk=pk)
        return Response(selectors.dashboard_answer(hall))


# The month (月结)


class MonthField(serializers.CharField):
    """A month as YYYY-MM: its first day."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not MONTH.fullmatch(value):
            raise serializers.ValidationError(_("A month is written YYYY-MM, e.g. 2026-11."))
        return dt.date(int(value[:4]), int(value[5:]), 1)


class MonthInput(serializers.Serializer):
    hall = IdField(help_text="A hall whose reports the caller reads: 400 for any other, as for an unknown one.")
    month = MonthField()

    def validate_hall(self, value):
        hall = report_halls(self.context["request"].user).filter(pk=value).first()
        if hall is None:
            raise serializers.ValidationError(_("No such hall among the halls you may see."))
        return hall

    def validate(self, data):
        if data["month"] > data["hall"].today():
            raise serializers.ValidationError({"month": _("This month has not started yet.")})
        return data


MONTH_PARAMETERS = [
    OpenApiParameter("hall", int, required=True),
    OpenApiParameter("month", str, required=True, description="YYYY-MM"),
]


class MonthlyApi(APIView):
    """The month's report: frozen once closed (with `changes_since_close`), live until then."""

    permission_classes = [HasRole.of(*REPORT_ROLES)]

    @extend_schema(parameters=MONTH_PARAMETERS, responses={200: dict})
    def get(self, request):
        return Response(self.answer(request))

    def answer(self, request) -> dict:
        data = MonthInput(data=request.query_params, context={"request": request})
        data.is_valid(raise_exception=True)
        return selectors.monthly_answer(data.validated_data["hall"], data.validated_data["month"])


class MonthlyXlsxApi(DownloadMixin, MonthlyApi):
    """The month's report as one workbook: a sheet per area, the targets, the changes since the close."""

    @extend_schema(parameters=MONTH_PARAMETERS, responses={(200, XLSX_TYPE): OpenApiTypes.BINARY})
    def get(self, request):
        answer = self.answer(request)
        filename = f"monthly-hall{answer['hall']}-{answer['month']}.xlsx"
        return download(exports.monthly_xlsx(answer), XLSX_TYPE, filename)


class MonthCloseApi(APIView):
    """Closes a month that has ended (the hall manager or an administrator): 409 `month_closed` the second time,
    `month_not_over` before its end."""

    permission_classes = [HasRole.of(*REPORT_ROLES)]

    @extend_schema(
        request=MonthInput,
        responses={
            201: dict,
            403: refused("Only the hall manager or an administrator closes a month."),
            409: OpenApiResponse(description='{detail, code: "month_closed" | "month_not_over"}'),
        },
    )
    def post(self, request):
        data = MonthInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        hall: Hall = data.validated_data["hall"]
        services.month_close(hall=hall, month=data.validated_data["month"], actor=request.user)
        return Response(selectors.monthly_answer(hall, data.validated_data["month"]), status=201)
