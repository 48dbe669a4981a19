"""Staff over the API: AB-role chores, the day's duties, leave; the pieces staff.shift_apis shares."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from hall.apis import MAX_ID, HallFilteredListApi, TimelineEventOutput, action_api, hall_for, timeline_api
from hall.errors import ApplicationError
from hall.limits import LONG_TEXT_MAX
from hall.models import MANAGER_ROLES, Hall, Role, User
from hall.permissions import HasRole, can_see_hall, get_in_hall
from hall.timeline import timeline_for
from staff import dates, roster_services, selectors, services
from staff.models import Chore, Duty, DutyStatus, Leave, LeaveStatus
from staff.schedules import parse_schedule, schedule_text

STAFF_ROLES = tuple(Role.values)
HALL_MANAGER = (Role.HALL_MANAGER,)


def id_field(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def member_of(hall_id: int | None, pk: int, field: str, *roles: str) -> User:
    """An active member of the hall (with one of the roles, when given); a 400 on the field otherwise."""
    if hall_id is None:
        raise ValidationError({field: [_("No member of this hall with this role has this id.")]})
    people = User.objects.filter(pk=pk, hall_id=hall_id, is_active=True)
    if roles:
        people = people.filter(groups__name__in=roles).distinct()
    person = people.first()
    if person is None:
        raise ValidationError({field: [_("No member of this hall with this role has this id.")]})
    return person


def own_hall(request, hall_id: int | None) -> Hall:
    """The hall named by the request, else the user's own; 404 unknown, 403 another hall, 400 for neither."""
    hall_id = hall_id or request.user.hall_id
    if hall_id is None:
        raise ValidationError({"hall": [_("Say which hall.")]})
    return hall_for(request, hall_id)


class HallField(serializers.PrimaryKeyRelatedField):
    """A hall id in a request body: 400 when unknown, 403 when it is not the user's hall."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Hall.objects.all(), **kwargs)

    def to_internal_value(self, data):
        hall = super().to_internal_value(data)
        if not can_see_hall(self.context["request"].user, hall.pk):
            raise PermissionDenied
        return hall


class DayField(serializers.DateField):
    """A day within ten years of today (staff.dates.within_reach)."""

    def __init__(self, **kwargs):
        super().__init__(validators=[dates.within_reach], **kwargs)


class StaffCollectionApi(HallFilteredListApi):
    """GET lists for every member of the hall; POST by `write_roles`."""

    read_roles = STAFF_ROLES
    write_roles = STAFF_ROLES

    def get_permissions(self):
        roles = self.write_roles if self.request.method == "POST" else self.read_roles
        return [HasRole.of(*roles)()]


# Chores


class ChoreOutput(serializers.ModelSerializer):
    schedule = serializers.SerializerMethodField()
    a_name = serializers.CharField(source="a.display_name", read_only=True)
    b_name = serializers.CharField(source="b.display_name", read_only=True)
    problems = serializers.SerializerMethodField()

    class Meta:
        model = Chore
        fields = ["id", "hall", "name", "checklist", "schedule", "a", "a_name", "b", "b_name", "is_active"]
        fields += ["problems", "created_at"]

    def get_schedule(self, chore) -> str:
        return schedule_text(chore)

    def get_problems(self, chore) -> list[str]:
        return getattr(chore, "problems", [])


def with_problems(chores: list[Chore]) -> list[Chore]:
    """Gives each chore the `.problems` selectors.chores_with_flags finds in its hall."""
    found = {}
    for hall in {chore.hall_id: chore.hall for chore in chores}.values():
        found.update({chore.pk: chore.problems for chore in selectors.chores_with_flags(hall)})
    for chore in chores:
        chore.problems = found.get(chore.pk, [])
    return chores


def _chores():
    return Chore.objects.select_related("hall", "a", "b")


def chore_response(request, pk: int, code=status.HTTP_200_OK) -> Response:
    (chore,) = with_problems(list(_chores().filter(pk=pk)))
    return Response(ChoreOutput(chore).data, status=code)


class ChoreCreateInput(serializers.Serializer):
    hall = HallField()
    name = serializers.CharField(max_length=100)
    a = id_field(help_text="The owner (A): a user id of the hall.")
    b = id_field(help_text="The backup (B): a user id of the hall.")
    schedule = serializers.CharField(
        max_length=40, help_text='"daily HH:MM", "weekly MON HH:MM", "closing" or "monthly HH:MM" (first working day)'
    )
    checklist = serializers.CharField(max_length=LONG_TEXT_MAX, required=False, allow_blank=True, default="")

    def validate_schedule(self, text):
        try:
            parse_schedule(text)
        except ApplicationError as error:
            raise ValidationError(str(error.message)) from None
        return text.strip()

    def validate(self, data):
        hall = data["hall"]
        data["a"], data["b"] = member_of(hall.pk, data["a"], "a"), member_of(hall.pk, data["b"], "b")
        if Chore.objects.filter(hall=hall, name=data["name"]).exists():
            raise ValidationError({"name": [_("This hall already has a chore of that name.")]})
        return data


class ChoreFilter(serializers.Serializer):
    hall = id_field(required=False)
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


class ChoreCollectionApi(StaffCollectionApi):
    """GET: the hall's chores, each with its problems (A and B the same person, either inactive);
    POST: a new chore (the hall manager)."""

    queryset = Chore.objects.none()  # names the model for the schema; rows come from base_queryset
    serializer_class = ChoreOutput
    write_roles = HALL_MANAGER

    def base_queryset(self):
        active = self.filters(ChoreFilter)["active"]
        chores = _chores().order_by("hall", "at", "name")
        return chores if active is None else chores.filter(is_active=active)

    def paginate_queryset(self, queryset):
        return with_problems(list(super().paginate_queryset(queryset)))

    @extend_schema(parameters=[ChoreFilter], responses=ChoreOutput(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ChoreCreateInput, responses={201: ChoreOutput})
    def post(self, request):
        data = ChoreCreateInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        chore = services.chore_create(actor=request.user, **data.validated_data)
        return chore_response(request, chore.pk, status.HTTP_201_CREATED)


class ChoreDetailApi(APIView):
    permission_classes = [HasRole.of(*STAFF_ROLES)]

    @extend_schema(responses=ChoreOutput)
    def get(self, request, pk: int):
        return chore_response(request, get_in_hall(Chore.objects.all(), request.user, pk=pk).pk)


class ChoreAssignInput(serializers.Serializer):
    a = id_field()
    b = id_field()

    def validate(self, data):
        hall_id = self.context["chore"].hall_id
        return {"a": member_of(hall_id, data["a"], "a"), "b": member_of(hall_id, data["b"], "b")}


ChoreAssignApi = action_api(services.chore_assign, ChoreOutput, chore_response, HALL_MANAGER, ChoreAssignInput)
ChoreTimelineApi = timeline_api(Chore, STAFF_ROLES)


# Duties


class DutyOutput(serializers.ModelSerializer):
    chore_name = serializers.CharField(source="chore.name", read_only=True)
    responsible_name = serializers.CharField(source="responsible.display_name", default=None, read_only=True)
    done_by_name = serializers.CharField(source="done_by.display_name", default=None, read_only=True)
    state = serializers.SerializerMethodField(help_text="done, overdue or open")
    reason = serializers.CharField(source="reason_text", read_only=True, help_text="`why` in the reader's language")
    why = serializers.JSONField(
        read_only=True,
        help_text='Why B or the duty manager has it: {} for A, {"code": "covers", "a", "b", "away": "on_leave"|'
        '"not_rostered"|"inactive"} or {"code": "both_away", "a", "b"}.',
    )

    class Meta:
        model = Duty
        fields = ["id", "hall", "chore", "chore_name", "date", "due_at", "responsible", "responsible_name", "role"]
        fields += ["why", "reason", "status", "state", "done_at", "done_by", "done_by_name", "note"]

    def get_state(self, duty) -> str:
        if duty.status == DutyStatus.DONE:
            return "done"
        return "overdue" if duty.due_at <= timezone.now() else "open"


def _duties():
    return Duty.objects.select_related("chore", "responsible", "done_by")


def duty_response(request, pk: int) -> Response:
    return Response(DutyOutput(_duties().get(pk=pk)).data)


class DutyFilter(serializers.Serializer):
    hall = id_field(required=False)
    date = serializers.DateField(required=False, help_text="Default: today in the hall.")
    responsible = id_field(required=False)
    status = serializers.ChoiceField(choices=DutyStatus.choices, required=False)


class DutyListApi(StaffCollectionApi):
    """The day's duties of the hall (today's unless ?date=), in order of time."""

    queryset = Duty.objects.none()  # names the model for the schema; rows come from base_queryset
    serializer_class = DutyOutput

    def base_queryset(self):
        found = self.filters(DutyFilter)
        day = found.get("date")
        if day is None:
            hall = Hall.objects.filter(pk=found.get("hall") or self.request.user.hall_id).first()
            day = hall.today() if hall else timezone.localdate()
        duties = _duties().filter(date=day)
        if "responsible" in found:
            duties = duties.filter(responsible_id=found["responsible"])
        if "status" in found:
            duties = duties.filter(status=found["status"])
        return duties

    @extend_schema(parameters=[DutyFilter], responses=DutyOutput(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DutyDetailApi(APIView):
    permission_classes = [HasRole.of(*STAFF_ROLES)]

    @extend_schema(responses=DutyOutput)
    def get(self, request, pk: int):
        return duty_response(request, get_in_hall(Duty.objects.all(), request.user, pk=pk).pk)


class DutyDoneInput(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DutyGenerateInput(serializers.Serializer):
    hall = HallField()
    date = DayField()


class DutyGenerateApi(APIView):
    """Creates the day's missing duties and re-decides who is responsible for the undone ones; idempotent.
    Answers with all of the day's duties."""

    permission_classes = [HasRole.of(*MANAGER_ROLES)]

    @extend_schema(request=DutyGenerateInput, responses=DutyOutput(many=True))
    def post(self, request):
        data = DutyGenerateInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        hall, day = data.validated_data["hall"], data.validated_data["date"]
        services.duties_generate(hall=hall, date=day, actor=request.user)
        return Response(DutyOutput(_duties().filter(hall=hall, date=day), many=True).data)


DutyDoneApi = action_api(services.duty_complete, DutyOutput, duty_response, STAFF_ROLES, DutyDoneInput)
DutyTimelineApi = timeline_api(Duty, STAFF_ROLES)


# Leave


class LeaveOutput(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.display_name", read_only=True)
    decided_by_name = serializers.CharField(source="decided_by.display_name", default=None, read_only=True)

    class Meta:
        model = Leave
        fields = ["id", "hall", "staff", "staff_name", "start", "end", "reason", "status", "decided_by"]
        fields += ["decided_by_name", "decided_at", "created_at"]


class LeaveWarningOutput(serializers.Serializer):
    chore = serializers.IntegerField(source="chore.pk")
    chore_name = serializers.CharField(source="chore.name")
    date = serializers.DateField()


class LeaveApprovalOutput(LeaveOutput):
    warnings = LeaveWarningOutput(many=True, read_only=True, help_text="Chores left with neither A nor B on a day")

    class Meta(LeaveOutput.Meta):
        fields = [*LeaveOutput.Meta.fields, "warnings"]


def _leaves():
    return Leave.objects.select_related("staff", "decided_by")


def leave_response(request, pk: int, code=status.HTTP_200_OK) -> Response:
    return Response(LeaveOutput(_leaves().get(pk=pk)).data, status=code)


def _leave_in_hall(request, pk: int) -> Leave:
    """Managers see every leave of their hall; anyone else only their own."""
    leave = get_in_hall(Leave.objects.all(), request.user, pk=pk)
    if leave.staff_id != request.user.pk and not request.user.has_role(*MANAGER_ROLES):
        raise PermissionDenied
    return leave


class LeaveRequestInput(serializers.Serializer):
    staff = id_field(required=False, help_text="Default: the requesting user. Managers may name anyone of the hall.")
    start = DayField(help_text="First day of the leave.")
    end = DayField(
        help_text="Last day of the leave (inclusive); at most 366 days after the first and two years after today."
    )
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def validate(self, data):
        dates.check_leave(data["start"], data["end"])
        user = self.context["request"].user
        staff_id = data.get("staff", user.pk)
        if staff_id != user.pk and not user.has_role(*MANAGER_ROLES):
            raise PermissionDenied(_("Only a manager requests leave for someone else."))
        if staff_id == user.pk:
            if user.hall_id is None:
                raise ValidationError({"staff": [_("You belong to no hall.")]})
            data["staff"] = user
        else:
            hall_id = user.hall_id
            if user.is_superuser:
                hall_id = User.objects.filter(pk=staff_id).values_list("hall_id", flat=True).first()
            data["staff"] = member_of(hall_id, staff_id, "staff")
        return data


class LeaveFilter(serializers.Serializer):
    hall = id_field(required=False)
    staff = id_field(required=False)
    status = serializers.ChoiceField(choices=LeaveStatus.choices, required=False)


class LeaveCollectionApi(StaffCollectionApi):
    """GET: the hall's leave (managers: everyone's; others: their own), latest first;
    POST: a request, for oneself (anyone) or for anyone of the hall (managers)."""

    queryset = Leave.objects.none()  # names the model for the schema; rows come from base_queryset
    serializer_class = LeaveOutput

    def base_queryset(self):
        found = self.filters(LeaveFilter)
        leaves = _leaves()
        if not self.request.user.has_role(*MANAGER_ROLES):
            leaves = leaves.filter(staff=self.request.user)
        if "staff" in found:
            leaves = leaves.filter(staff_id=found["staff"])
        if "status" in found:
            leaves = leaves.filter(status=found["status"])
        return leaves

    @extend_schema(parameters=[LeaveFilter], responses=LeaveOutput(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=LeaveRequestInput, responses={201: LeaveOutput})
    def post(self, request):
        data = LeaveRequestInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        leave = roster_services.leave_request(actor=request.user, **data.validated_data)
        return leave_response(request, leave.pk, status.HTTP_201_CREATED)


class LeaveDetailApi(APIView):
    permission_classes = [HasRole.of(*STAFF_ROLES)]

    @extend_schema(responses=LeaveOutput)
    def get(self, request, pk: int):
        return leave_response(request, _leave_in_hall(request, pk).pk)


class LeaveApproveApi(APIView):
    """Approves (the hall manager); `warnings` lists each chore and day left with neither A nor B."""

    permission_classes = [HasRole.of(*HALL_MANAGER)]

    @extend_schema(request=None, responses=LeaveApprovalOutput)
    def post(self, request, pk: int):
        leave = get_in_hall(Leave.objects.all(), request.user, pk=pk)
        leave, warnings = roster_services.leave_approve(leave=leave, actor=request.user)
        leave = _leaves().get(pk=leave.pk)
        leave.warnings = warnings
        return Response(LeaveApprovalOutput(leave).data)


class LeaveRejectInput(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class LeaveTimelineApi(APIView):
    permission_classes = [HasRole.of(*STAFF_ROLES)]

    @extend_schema(responses=TimelineEventOutput(many=True))
    def get(self, request, pk: int):
        return Response(TimelineEventOutput(timeline_for(_leave_in_hall(request, pk)), many=True).data)


LeaveRejectApi = action_api(roster_services.leave_reject, LeaveOutput, leave_response, HALL_MANAGER, LeaveRejectInput)


class LeaveCancelInput(LeaveRejectInput):
    """The person on leave cancels a request or an approved leave that has not ended (409 once it is over); the
    note goes to the hall managers when the leave was approved."""


LeaveCancelApi = action_api(roster_services.leave_cancel, LeaveOutput, leave_response, STAFF_ROLES, LeaveCancelInput)
