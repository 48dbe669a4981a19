import datetime as dt

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from hall.apis import whole_id
from hall.models import MANAGER_ROLES
from hall.permissions import HasRole, visible_halls
from reports import selectors
from reports.engine import GROUPINGS

# The longest period one request may ask for: two years of days.
MAX_DAYS = 731


class KpisInput(serializers.Serializer):
    hall = serializers.CharField(help_text='A hall id, or "all": every hall the caller may see.')
    # "from" is a Python keyword: the field is declared under its API name below.
    to = serializers.DateField()
    group_by = serializers.ChoiceField(choices=list(GROUPINGS), default="total")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        return fields

    def validate_hall(self, value):
        halls = visible_halls(self.context["request"].user)
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


class KpisApi(APIView):
    permission_classes = [HasRole.of(*MANAGER_ROLES)]

    @extend_schema(
        parameters=[
            OpenApiParameter("hall", str, required=True, description='A hall id or "all".'),
            OpenApiParameter("from", dt.date, required=True),
            OpenApiParameter("to", dt.date, required=True),
            OpenApiParameter("group_by", str, enum=list(GROUPINGS)),
        ],
        responses={200: dict},
    )
    def get(self, request):
        data = KpisInput(data=request.query_params, context={"request": request})
        data.is_valid(raise_exception=True)
        params = data.validated_data
        answer = selectors.kpis_answer(
            halls=params["hall"],
            first=params["from"],
            last=params["to"],
            group_by=params["group_by"],
            hall_param=request.query_params["hall"],
        )
        return Response(answer)
