"""The sampled callbacks' API (docs/API.md "Service quality")."""

import datetime as dt

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from callbacks import policies, selectors, services
from callbacks.models import Callback
from hall.apis import KeptHallField, refused
from hall.errors import NotPermitted
from hall.limits import TEXT_MAX
from hall.permissions import HasRole, ensure_hall, get_in_hall


class CallbackOutput(serializers.ModelSerializer):
    """A ticket to call back: the number whole for its caller only, masked for everyone else."""

    ticket_number = serializers.CharField(source="ticket.number")
    clerk_name = serializers.SerializerMethodField()
    caller_name = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Callback
        fields = [
            "id",
            "hall",
            "day",
            "ticket",
            "ticket_number",
            "clerk",
            "clerk_name",
            "caller",
            "caller_name",
            "phone",
            "revealed_at",
            "answered_at",
            "reached",
            "satisfaction",
            "note",
            "do_not_call",
        ]

    def get_clerk_name(self, callback) -> str:
        return callback.clerk.display_name if callback.clerk else ""

    def get_caller_name(self, callback) -> str:
        return callback.caller.display_name if callback.caller else ""

    def get_phone(self, callback) -> str:
        return selectors.phone_shown(self.context["request"].user, callback)


class DayQuery(serializers.Serializer):
    hall = KeptHallField(required=False)
    date = serializers.DateField(required=False)


class SampleInput(serializers.Serializer):
    hall = KeptHallField(required=False)
    date = serializers.DateField()


def _hall_and_day(request, data, serializer=DayQuery) -> tuple:
    query = serializer(data=data)
    query.is_valid(raise_exception=True)
    hall = query.validated_data.get("hall") or request.user.hall
    if hall is None:
        raise NotPermitted
    ensure_hall(request.user, hall.pk)
    day = query.validated_data.get("date") or hall.today() - dt.timedelta(days=1)
    return hall, day


def _answer_list(request, callbacks):
    return Response(CallbackOutput(callbacks, many=True, context={"request": request}).data)


class CallbackListApi(APIView):
    permission_classes = [HasRole.of(*policies.CALLER_ROLES)]

    @extend_schema(
        parameters=[
            OpenApiParameter("hall", int, description="The hall; the user's own by default."),
            OpenApiParameter("date", dt.date, description="The day served; yesterday by default."),
        ],
        responses=CallbackOutput(many=True),
    )
    def get(self, request):
        hall, day = _hall_and_day(request, request.query_params)
        return _answer_list(request, selectors.callbacks_of_day(hall, day))


class AnswerInput(serializers.Serializer):
    reached = serializers.BooleanField()
    satisfaction = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX, default="")
    do_not_call = serializers.BooleanField(required=False, default=False)

    def validate(self, data):
        if data["reached"] and data.get("satisfaction") is None:
            raise serializers.ValidationError({"satisfaction": "Required when the customer was reached."})
        if not data["reached"] and data.get("satisfaction") is not None:
            raise serializers.ValidationError({"satisfaction": "Only when the customer was reached."})
        return data


class CallbackAnswerApi(APIView):
    permission_classes = [HasRole.of(*policies.CALLER_ROLES)]

    @extend_schema(
        request=AnswerInput,
        responses={200: CallbackOutput, 403: refused("Only its caller, who took it, answers a callback.")},
    )
    def post(self, request, pk: int):
        callback = get_in_hall(Callback.objects.all(), request.user, pk=pk)
        data = AnswerInput(data=request.data)
        data.is_valid(raise_exception=True)
        callback = services.answer(callback=callback, actor=request.user, **data.validated_data)
        return Response(CallbackOutput(callback, context={"request": request}).data)


class CallbackRevealApi(APIView):
    permission_classes = [HasRole.of(*policies.CALLER_ROLES)]

    @extend_schema(request=None, responses=CallbackOutput)
    def post(self, request, pk: int):
        callback = get_in_hall(Callback.objects.all(), request.user, pk=pk)
        callback = services.reveal(callback=callback, actor=request.user)
        return Response(CallbackOutput(callback, context={"request": request}).data)


class CallbackSampleApi(APIView):
    permission_classes = [HasRole.of(*policies.SAMPLER_ROLES)]

    @extend_schema(
        request=SampleInput,
        responses={200: CallbackOutput(many=True), 403: refused("Only the hall's managers sample a day.")},
    )
    def post(self, request):
        hall, day = _hall_and_day(request, request.data, SampleInput)
        return _answer_list(request, services.sample_day(hall=hall, day=day, actor=request.user))
