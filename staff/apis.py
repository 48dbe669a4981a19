"""Staff over the API: AB-role chores and the day's duties; the pieces leave_apis, shift_apis and handover_apis
share."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from hall.apis import HallFilteredListApi, IdField, KeptHallField, action_api, check_hall, hall_for, timeline_api
from hall.errors import ApplicationError
from hall.limits import LONG_TEXT_MAX, NOTE_MAX
from hall.models import MANAGER_ROLES, Hall, Role, User
from hall.people import people_who_can
from hall.permissions import HasRole, get_in_hall
from staff import dates, selectors, services
from staff.models import Chore, Duty, DutyStatus
from staff.schedules import parse_schedule, schedule_text

STAFF_ROLES = tuple(Role.values)
HALL_MANAGER = (Role.HALL_MANAGER,)


def id_field(**kwargs):
    return IdField(**kwargs)


def member_of(hall_id: int | None, pk: int, field: str, *roles: str) -> User:
    """One of the hall's people who can (hall.people.people_who_can) with one of the roles, any staff role when
    none is given; a 400 on the field otherwise."""
    person = people_who_can(hall_id, roles or STAFF_ROLES).filter(pk=pk).first() if hall_id else None
    if person is None:
        raise ValidationError({field: [_("No member of this hall with this role has this id.")]})
    return person


def own_hall(request, hall_id: int | None) -> Hall:
    """The hall named by the request, else the user's own; 404 unknown or another hall, 400 for neither."""
    hall_id = hall_id or request.user.hall_id
    if hall_id is None:
        raise ValidationError({"hall": [_("Say which hall.")]})
    return hall_for(request, hall_id)


class HallField(KeptHallField):
    """A hall id in a request body: 400 when unknown, 404 when it is not the user's hall (hall.apis.check_hall)."""

    def to_internal_value(self, data):
        return check_hall(self.context["request"], super().to_internal_value(data))


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
        max_length=40,
        help_text='"daily HH:MM", "workdays HH:MM" (working days of the holiday calendar), "weekly MON HH:MM", '
        '"closing" or "monthly HH:MM" (first working day)',
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
        data["a"], data["b"] = (member_of(hall.pk, data[key], key, *services.CHORE_ROLES) for key in ("a", "b"))
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
        return {key: member_of(hall_id, data[key], key, *services.CHORE_ROLES) for key in ("a", "b")}


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
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")


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
