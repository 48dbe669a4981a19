from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from hall.apis import (
    HallFilteredListApi,
    IdField,
    KeptHallField,
    PublicThrottle,
    TimelineEventOutput,
    action_api,
    hall_for,
    refused,
)
from hall.limits import NOTE_MAX
from hall.models import COUNTER_ROLES, PHONE_PATTERN, Hall, User
from hall.permissions import HasRole, get_in_hall, phone_for
from hall.timeline import timeline_for
from tickets import selectors, services
from tickets.list_apis import CounterOutput
from tickets.models import BusinessType, Channel, Counter, Priority, Ticket, TicketStatus


class TicketOutput(serializers.ModelSerializer):
    # The schema of every ticket answer. The answer itself is ticket_output's dict: a plain function, since the
    # kiosk waits for it on every press (tests/tickets/test_ticket_output.py holds the two together).

    business_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    counter_number = serializers.IntegerField(source="counter.number", default=None, read_only=True)
    position = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    status_url = serializers.SerializerMethodField()
    counters_open_at = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "id",
            "hall",
            "number",
            "business_type",
            "priority",
            "status",
            "position",
            "predicted_wait_minutes",
            "counters_open_at",
            "counter",
            "counter_number",
            "target_counter",
            "target_clerk",
            "served_by",
            "channel",
            "phone",
            "issued_at",
            "called_at",
            "started_at",
            "finished_at",
            "recall_count",
            "token",
            "status_url",
            "created_at",
        ]

    def to_representation(self, ticket):
        return ticket_output(ticket, self.context.get("request"))

    # Only their return types are read, for the schema: to_representation answers ticket_output's values.

    def get_position(self, ticket) -> int | None: ...

    def get_phone(self, ticket) -> str:
        """The customer's phone as the user may see it; none without a login."""

    def get_status_url(self, ticket) -> str: ...

    def get_counters_open_at(self, ticket) -> str | None:
        """ "HH:MM" the hall's counters usually open, while no open counter serves a waiting ticket's type
        (predicted_wait_minutes is then null: no wait is promised); null otherwise."""


TIMESTAMP = serializers.DateTimeField()


def ticket_output(ticket: Ticket, request, *, just_issued: bool = False) -> dict:
    """The ticket as the API answers it. A ticket `just_issued` answers the place in the queue its issue counted."""
    if just_issued:
        position = ticket.position_at_issue
    else:
        position = selectors.people_ahead(ticket) if ticket.status == TicketStatus.WAITING else None
    user = getattr(request, "user", None)
    status_url = reverse("ticket-status-page", args=[ticket.token])
    return {
        "id": ticket.pk,
        "hall": ticket.hall_id,
        "number": ticket.number,
        "business_type": ticket.business_type.code,
        "priority": ticket.priority,
        "status": ticket.status,
        "position": position,
        "predicted_wait_minutes": ticket.predicted_wait_minutes,
        "counters_open_at": selectors.counters_open_at(ticket, ticket.predicted_wait_minutes),
        "counter": ticket.counter_id,
        "counter_number": ticket.counter.number if ticket.counter_id else None,
        "target_counter": ticket.target_counter_id,
        "target_clerk": ticket.target_clerk_id,
        "served_by": ticket.served_by_id,
        "channel": ticket.channel,
        "phone": phone_for(user, ticket.phone) if user is not None and user.is_authenticated else "",
        "issued_at": TIMESTAMP.to_representation(ticket.issued_at),
        "called_at": TIMESTAMP.to_representation(ticket.called_at),
        "started_at": TIMESTAMP.to_representation(ticket.started_at),
        "finished_at": TIMESTAMP.to_representation(ticket.finished_at),
        "recall_count": ticket.recall_count,
        "token": ticket.token,
        "status_url": request.build_absolute_uri(status_url) if request is not None else status_url,
        "created_at": TIMESTAMP.to_representation(ticket.created_at),
    }


def ticket_response(request, ticket, code=status.HTTP_200_OK):
    return Response(ticket_output(ticket, request), status=code)


class TicketIssueApi(APIView):
    """Kiosk, phone or staff issuing; no login needed, rate-limited for anonymous callers."""

    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]

    @extend_schema_serializer(component_name="TicketIssueInput")
    class Input(serializers.Serializer):
        hall = KeptHallField()
        business_type = serializers.RegexField(r"^[A-Z]$", max_length=1)
        priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
        phone = serializers.RegexField(PHONE_PATTERN, required=False, allow_blank=True, default="")
        channel = serializers.ChoiceField(choices=Channel.choices, required=False)

        def validate(self, data):
            business_type = selectors.issuing_business_type(data["hall"], data["business_type"])
            if business_type is None:
                raise serializers.ValidationError({"business_type": [_("This hall offers no such business.")]})
            data["business_type"] = business_type
            return data

    @extend_schema(request=Input, responses={201: TicketOutput})
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        hall = data.validated_data["hall"]
        channel = data.validated_data.get("channel")
        if request.user.is_authenticated:
            hall_for(request, hall.pk)
            channel = channel or Channel.STAFF
        else:
            channel = Channel.PHONE if channel == Channel.PHONE else Channel.KIOSK
        ticket = services.ticket_issue(
            hall=hall,
            business_type=data.validated_data["business_type"],
            priority=data.validated_data["priority"],
            phone=data.validated_data["phone"],
            channel=channel,
            actor=request.user,
        )
        return Response(ticket_output(ticket, request, just_issued=True), status=status.HTTP_201_CREATED)


class TicketStatusApi(APIView):
    """What the customer's phone shows: place, expected wait, the window when called."""

    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]

    @extend_schema_serializer(component_name="TicketStatusOutput")
    class Output(serializers.Serializer):
        number = serializers.CharField()
        business_type = serializers.CharField()
        status = serializers.CharField()
        position = serializers.IntegerField(allow_null=True)
        predicted_wait_minutes = serializers.IntegerField(
            allow_null=True, help_text="Null when the ticket does not wait, or while no open counter serves its type."
        )
        counters_open_at = serializers.CharField(
            allow_null=True, help_text='"HH:MM" the counters usually open, while no open counter serves the type.'
        )
        counter = serializers.IntegerField(allow_null=True)
        rated = serializers.BooleanField()

    @extend_schema(responses=Output)
    def get(self, request, token: str):
        ticket = get_object_or_404(Ticket.objects.select_related("hall", "business_type", "counter"), token=token)
        return Response(ticket_status(ticket))


def ticket_status(ticket: Ticket) -> dict:
    progress = selectors.ticket_progress(ticket)
    return {
        "number": ticket.number,
        "business_type": ticket.business_type.code,
        "status": ticket.status,
        "position": progress["position"],
        "predicted_wait_minutes": progress["predicted_wait_minutes"],
        "counters_open_at": progress["counters_open_at"],
        "counter": ticket.counter.number if ticket.counter and ticket.status != TicketStatus.WAITING else None,
        "rated": hasattr(ticket, "rating"),
    }


class TicketRateApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]

    @extend_schema_serializer(component_name="TicketRateInput")
    class Input(serializers.Serializer):
        score = serializers.IntegerField(min_value=1, max_value=5)
        comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    @extend_schema(request=Input, responses={201: OpenApiResponse(description="The rating")})
    def post(self, request, token: str):
        ticket = get_object_or_404(Ticket, token=token)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        rating = services.ticket_rate(ticket=ticket, **data.validated_data)
        return Response(
            {"number": ticket.number, "score": rating.score, "comment": rating.comment, "satisfied": rating.satisfied},
            status=status.HTTP_201_CREATED,
        )


class TicketFilter(serializers.Serializer):
    status = serializers.ChoiceField(choices=TicketStatus.choices, required=False)
    business_type = serializers.RegexField(r"^[A-Z]$", required=False)
    date = serializers.DateField(required=False)


class TicketListApi(HallFilteredListApi):
    serializer_class = TicketOutput

    def base_queryset(self):
        filters = TicketFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = Ticket.objects.select_related("hall", "business_type", "counter")
        if "status" in filters.validated_data:
            queryset = queryset.filter(status=filters.validated_data["status"])
        if "business_type" in filters.validated_data:
            queryset = queryset.filter(business_type__code=filters.validated_data["business_type"])
        if "date" in filters.validated_data:
            queryset = queryset.filter(service_date=filters.validated_data["date"])
        return queryset


class CounterRoleApi(APIView):
    permission_classes = [HasRole.of(*COUNTER_ROLES)]


class TicketDetailApi(APIView):
    @extend_schema(responses=TicketOutput)
    def get(self, request, pk: int):
        return ticket_response(request, get_in_hall(Ticket.objects.all(), request.user, pk=pk))


NOT_THEIR_COUNTER = refused(
    "Another clerk is signed in at the counter: only they work it, and only a manager closes it for them."
)


def ticket_answer(request, pk: int) -> Response:
    return ticket_response(request, Ticket.objects.select_related("business_type", "counter").get(pk=pk))


# The answers of an action on a ticket that may be at a counter, and of an action on a counter.
AT_COUNTER = {200: TicketOutput, 403: NOT_THEIR_COUNTER}
COUNTER_ANSWERS = {200: OpenApiResponse(description="The counter"), 403: NOT_THEIR_COUNTER}


class NoteInput(serializers.Serializer):
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")


class TransferInput(NoteInput):
    business_type = serializers.RegexField(r"^[A-Z]$", required=False)
    counter = IdField(required=False)
    clerk = IdField(required=False)

    def validate(self, data):
        hall_id = self.context["ticket"].hall_id
        if not {"business_type", "counter", "clerk"} & data.keys():
            raise serializers.ValidationError(_("Give a business_type, a counter or a clerk."))
        resolved = {"note": data["note"]}
        lookups = {
            "business_type": (BusinessType.objects.filter(is_active=True), "code"),
            "counter": (Counter.objects.all(), "pk"),
            "clerk": (User.objects.filter(is_active=True), "pk"),
        }
        for field, (queryset, key) in lookups.items():
            if field in data:
                target = queryset.filter(hall_id=hall_id, **{key: data[field]}).first()
                if target is None:
                    raise serializers.ValidationError({field: [_("No such one in this hall.")]})
                resolved[field] = target
        return resolved


TicketRecallApi = action_api(services.ticket_recall, TicketOutput, ticket_answer, COUNTER_ROLES, responses=AT_COUNTER)
TicketStartApi = action_api(services.ticket_start, TicketOutput, ticket_answer, COUNTER_ROLES, responses=AT_COUNTER)
TicketFinishApi = action_api(
    services.ticket_finish, TicketOutput, ticket_answer, COUNTER_ROLES, NoteInput, responses=AT_COUNTER
)
TicketNoShowApi = action_api(services.ticket_no_show, TicketOutput, ticket_answer, COUNTER_ROLES, responses=AT_COUNTER)
TicketReactivateApi = action_api(services.ticket_reactivate, TicketOutput, ticket_answer, COUNTER_ROLES)
TicketCancelApi = action_api(
    services.ticket_cancel, TicketOutput, ticket_answer, COUNTER_ROLES, NoteInput, responses=AT_COUNTER
)
TicketTransferApi = action_api(
    services.ticket_transfer, TicketOutput, ticket_answer, COUNTER_ROLES, TransferInput, responses=AT_COUNTER
)


class TicketTimelineApi(APIView):
    @extend_schema(responses=TimelineEventOutput(many=True))
    def get(self, request, pk: int):
        ticket = get_in_hall(Ticket.objects.all(), request.user, pk=pk)
        return Response(TimelineEventOutput(timeline_for(ticket), many=True).data)


def counter_answer(request, pk: int) -> Response:
    return Response(CounterOutput(Counter.objects.get(pk=pk)).data)


CounterOpenApi = action_api(
    services.counter_open, CounterOutput, counter_answer, COUNTER_ROLES, responses=COUNTER_ANSWERS
)
CounterPauseApi = action_api(
    services.counter_pause, CounterOutput, counter_answer, COUNTER_ROLES, responses=COUNTER_ANSWERS
)
CounterCloseApi = action_api(
    services.counter_close, CounterOutput, counter_answer, COUNTER_ROLES, responses=COUNTER_ANSWERS
)


class CounterCallNextApi(CounterRoleApi):
    @extend_schema(
        request=None,
        responses={200: TicketOutput, 204: OpenApiResponse(description="Nobody waits"), 403: NOT_THEIR_COUNTER},
    )
    def post(self, request, pk: int):
        counter = get_in_hall(Counter.objects.all(), request.user, pk=pk)
        ticket = services.ticket_call_next(counter=counter, actor=request.user)
        if ticket is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return ticket_response(request, ticket)


class BoardCallOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    counter = serializers.IntegerField(help_text="The counter's number.")
    called_at = serializers.DateTimeField()
    recall = serializers.BooleanField(help_text="This call repeats an earlier one of the same number.")


class BoardOutput(serializers.Serializer):
    """The board: each number once, at its last call, while its ticket is still with the counter that called it."""

    now_calling = serializers.IntegerField(
        allow_null=True, help_text="The id of the recent call shown large, or null when the last call no longer stands."
    )
    recent_calls = BoardCallOutput(many=True)
    waiting = serializers.DictField(child=serializers.IntegerField(), help_text='Waiting per type: {"A": 3, …}.')


class HallBoardApi(APIView):
    """What the display board polls: recent calls and waiting counts. Public: it hangs on the wall."""

    permission_classes = [AllowAny]
    authentication_classes = []

    def dispatch(self, request, *args, **kwargs):
        # Every display of every hall polls this every few seconds: a current cached snapshot is answered as it
        # is, without the database and before DRF's request handling, which would cost more than the rest.
        if request.method == "GET":
            snapshot = selectors.cached_board_snapshot(kwargs["pk"])
            if snapshot is not None:
                return JsonResponse(snapshot)
        return super().dispatch(request, *args, **kwargs)

    @extend_schema(responses=BoardOutput)
    def get(self, request, pk: int):
        return Response(selectors.board_snapshot(get_object_or_404(Hall, pk=pk)))


class TicketCollectionApi(TicketListApi):
    """GET lists tickets (staff); POST issues one (kiosk, phone, staff)."""

    def get_permissions(self):
        return TicketIssueApi().get_permissions() if self.request.method == "POST" else super().get_permissions()

    def get_throttles(self):
        return TicketIssueApi().get_throttles() if self.request.method == "POST" else super().get_throttles()

    @extend_schema(request=TicketIssueApi.Input, responses={201: TicketOutput})
    def post(self, request):
        return TicketIssueApi().post(request)
