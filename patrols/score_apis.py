"""Patrol scores over the API: per day and per category over a period, with the items failed again."""

import datetime as dt

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from hall.apis import KeptHallField, check_hall
from hall.errors import ApplicationError
from hall.permissions import HasRole
from patrols import policies, selectors
from patrols.models import Category


class CategoryScoreOutput(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices)
    label = serializers.CharField()
    score = serializers.IntegerField()
    max_score = serializers.IntegerField()


class DayScoreOutput(serializers.Serializer):
    date = serializers.DateField()
    patrols = serializers.IntegerField()
    score = serializers.IntegerField()
    max_score = serializers.IntegerField()
    categories = CategoryScoreOutput(many=True)


class FailingItemOutput(serializers.Serializer):
    item = serializers.IntegerField()
    text = serializers.CharField()
    category = serializers.ChoiceField(choices=Category.choices)
    label = serializers.CharField()
    failures = serializers.IntegerField(help_text="The finished patrols of the period that failed it.")
    last_failed_at = serializers.DateTimeField()
    repeated = serializers.BooleanField(
        help_text=f"Failed in {selectors.REPEAT_PATROLS} patrols within {selectors.REPEAT_DAYS} days."
    )


def _with_from(fields: dict, field) -> dict:
    # "from" is a Python keyword: the field is added by name.
    return {"hall": fields.pop("hall"), "from": field, **fields}


class ScoresQuery(serializers.Serializer):
    hall = KeptHallField(required=False)
    to = serializers.DateField(required=False)

    def get_fields(self):
        return _with_from(super().get_fields(), serializers.DateField(required=False))


class ScoresOutput(serializers.Serializer):
    """Finished patrols' points from `from` to `to` (hall days, inclusive): in all, per day and per category, and
    the items they failed, the repeated failures first."""

    hall = serializers.IntegerField()
    to = serializers.DateField()
    patrols = serializers.IntegerField()
    score = serializers.IntegerField()
    max_score = serializers.IntegerField()
    days = DayScoreOutput(many=True)
    categories = CategoryScoreOutput(many=True)
    failing_items = FailingItemOutput(many=True)

    def get_fields(self):
        return _with_from(super().get_fields(), serializers.DateField())


class PatrolScoresApi(APIView):
    permission_classes = [HasRole.of(*policies.PATROL_ROLES)]

    @extend_schema(
        parameters=[
            OpenApiParameter("hall", int, description="The hall; the user's own by default."),
            OpenApiParameter("from", dt.date, description=f"The first day; {selectors.SCORE_DAYS} days before `to`."),
            OpenApiParameter("to", dt.date, description="The last day; today by default."),
        ],
        responses=ScoresOutput,
    )
    def get(self, request):
        query = ScoresQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        hall = query.validated_data.get("hall") or request.user.hall
        if hall is None:
            raise serializers.ValidationError({"hall": [_("Give the hall.")]})
        check_hall(request, hall)
        try:
            first, last = selectors.score_period(hall, query.validated_data.get("from"), query.validated_data.get("to"))
        except ApplicationError as error:
            raise serializers.ValidationError({"from": [str(error.message)]}) from None
        return Response(ScoresOutput(selectors.patrol_scores(hall, first, last)).data)
