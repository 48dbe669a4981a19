"""Shifts, shift templates and the roster week, the duty manager of a day, a person's calendar address (handovers are
in handover_apis)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from hall.errors import ApplicationError
from hall.models import MANAGER_ROLES, DutyManagerDay, Hall, User
from hall.people import responsible_managers
from hall.permissions import HasRole, get_in_hall
from staff import dates, roster_services
from staff.apis import (
    HALL_MANAGER,
    STAFF_ROLES,
    DayField,
    HallField,
    StaffCollectionApi,
    id_field,
    member_of,
    own_hall,
)
from staff.ical import feed_url
from staff.models import Leave, LeaveStatus, Shift, ShiftTemplate


class ShiftOutput(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.display_name", read_only=True)

    class Meta:
        model = Shift
        fields = ["id", "hall", "staff", "staff_name", "date", "start", "end", "post", "template"]


class ShiftTemplateOutput(serializers.ModelSerializer):
    class Meta:
        model = ShiftTemplate
        fields = ["id", "hall", "name", "start", "end"]


def _shifts():
    return Shift.objects.select_related("staff")


class ShiftCreateInput(serializers.Serializer):
    hall = HallField(required=False, help_text="Default: the requesting user's hall.")
    staff = id_field()
    date = DayField()
    start = serializers.TimeField(required=False, help_text="HH:MM on the date; default: the template's.")
    end = serializers.TimeField(required=False, help_text="HH:MM; before the start means the next day.")
    post = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    template = id_field(required=False, allow_null=True, help_text="A shift template id of the hall.")

    def validate(self, data):
        user = self.context["request"].user
        hall = data.get("hall") or Hall.objects.filter(pk=user.hall_id).first()
        if hall is None:
            raise ValidationError({"hall": [_("Say which hall.")]})
        data["hall"], data["staff"] = hall, member_of(hall.pk, data["staff"], "staff")
        if data.get("template") is not None:
            data["template"] = ShiftTemplate.objects.filter(pk=data["template"], hall=hall).first()
            if data["template"] is None:
                raise ValidationError({"template": [_("No shift template of this hall has this id.")]})
            data.setdefault("start", data["template"].start)
            data.setdefault("end", data["template"].end)
        for field in ("start", "end"):
            if field not in data:
                raise ValidationError({field: [_("A time, or a template, is required.")]})
        if data["start"] == data["end"]:
            raise ValidationError({"end": [_("A shift cannot end when it starts.")]})
        return data


class ShiftFilter(serializers.Serializer):
    hall = id_field(required=False)
    staff = id_field(required=False)
    date = serializers.DateField(required=False)


class ShiftCollectionApi(StaffCollectionApi):
    """GET: the hall's shifts; POST: rosters a person (duty and hall managers). A shift overlapping another of
    the same person's is refused with 400 and nothing is created."""

    queryset = Shift.objects.none()  # names the model for the schema; rows come from base_queryset
    serializer_class = ShiftOutput
    write_roles = tuple(MANAGER_ROLES)

    def base_queryset(self):
        found = self.filters(ShiftFilter)
        shifts = _shifts()
        if "staff" in found:
            shifts = shifts.filter(staff_id=found["staff"])
        if "date" in found:
            shifts = shifts.filter(date=found["date"])
        return shifts

    @extend_schema(parameters=[ShiftFilter], responses=ShiftOutput(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ShiftCreateInput, responses={201: ShiftOutput})
    def post(self, request):
        data = ShiftCreateInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        try:
            shift = roster_services.shift_create(actor=request.user, **data.validated_data)
        except ApplicationError as error:  # the database refused an overlapping shift
            raise ValidationError({"non_field_errors": [str(error.message)]}) from None
        return Response(ShiftOutput(_shifts().get(pk=shift.pk)).data, status=status.HTTP_201_CREATED)


class ShiftDetailApi(APIView):
    """GET a shift; DELETE takes it off the roster (duty and hall managers)."""

    def get_permissions(self):
        return [HasRole.of(*(MANAGER_ROLES if self.request.method == "DELETE" else STAFF_ROLES))()]

    @extend_schema(responses=ShiftOutput)
    def get(self, request, pk: int):
        return Response(ShiftOutput(get_in_hall(_shifts(), request.user, pk=pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        roster_services.shift_delete(shift=get_in_hall(Shift.objects.all(), request.user, pk=pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ShiftTemplateListApi(StaffCollectionApi):
    queryset = ShiftTemplate.objects.none()  # names the model for the schema; rows come from base_queryset
    serializer_class = ShiftTemplateOutput

    def base_queryset(self):
        return ShiftTemplate.objects.all()


class RosterShiftOutput(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.display_name", read_only=True)

    class Meta:
        model = Shift
        fields = ["id", "staff", "staff_name", "start", "end", "post"]


class RosterLeaveOutput(serializers.Serializer):
    staff = serializers.IntegerField(source="staff_id")
    staff_name = serializers.CharField(source="staff.display_name")


class RosterDayOutput(serializers.Serializer):
    date = serializers.DateField()
    duty_manager = serializers.IntegerField(source="duty_manager.pk", allow_null=True, default=None)
    duty_manager_name = serializers.CharField(source="duty_manager.display_name", allow_null=True, default=None)
    shifts = RosterShiftOutput(many=True)
    on_leave = RosterLeaveOutput(many=True)


class RosterOutput(serializers.Serializer):
    hall = serializers.IntegerField(source="hall.pk")
    week = serializers.CharField()
    days = RosterDayOutput(many=True)


class RosterFilter(serializers.Serializer):
    hall = id_field(required=False, help_text="Default: the user's hall.")
    week = serializers.CharField(required=False, max_length=8, help_text="ISO week such as 2026-W48; default: now.")

    def validate_week(self, week):
        try:
            dates.week_days(week)
        except ValueError:
            raise ValidationError(_("A week is written like 2026-W48, from 0001-W02 to 9999-W50.")) from None
        return week


def roster(hall: Hall, week: str) -> dict:
    """Each day of the week with its duty manager, its shifts in order and who is on approved leave."""
    days = dates.week_days(week)
    span = (days[0], days[-1])
    shifts = list(_shifts().filter(hall=hall, date__range=span).order_by("start", "id"))
    managers = DutyManagerDay.objects.filter(hall=hall, date__range=span).select_related("manager")
    leaves = Leave.objects.filter(hall=hall, status=LeaveStatus.APPROVED, start__lte=days[-1], end__gte=days[0])
    manager_of = {day.date: day.manager for day in managers}
    leaves = list(leaves.select_related("staff").order_by("staff__username"))
    return {
        "hall": hall,
        "week": week,
        "days": [
            {
                "date": day,
                "duty_manager": manager_of.get(day),
                "shifts": [shift for shift in shifts if shift.date == day],
                "on_leave": [leave for leave in leaves if leave.start <= day <= leave.end],
            }
            for day in days
        ],
    }


class RosterApi(APIView):
    permission_classes = [HasRole.of(*STAFF_ROLES)]

    @extend_schema(parameters=[RosterFilter], responses=RosterOutput)
    def get(self, request):
        found = RosterFilter(data=request.query_params)
        found.is_valid(raise_exception=True)
        hall = own_hall(request, found.validated_data.get("hall"))
        year, week, _day = hall.today().isocalendar()
        week = found.validated_data.get("week") or f"{year}-W{week:02d}"
        return Response(RosterOutput(roster(hall, week)).data)


class DutyManagerDayOutput(serializers.ModelSerializer):
    manager_name = serializers.CharField(source="manager.display_name", read_only=True)

    class Meta:
        model = DutyManagerDay
        fields = ["id", "hall", "date", "manager", "manager_name"]


class DutyManagerDayInput(serializers.Serializer):
    hall = HallField()
    date = DayField()


class DutyManagerInput(DutyManagerDayInput):
    manager = id_field(help_text="A duty or hall manager of the hall.")

    def validate(self, data):
        data["manager"] = member_of(data["hall"].pk, data["manager"], "manager", *MANAGER_ROLES)
        return data


class RosterDutyManagerApi(APIView):
    """Names the duty manager of a day (the hall manager); the day's undone duties are re-decided."""

    permission_classes = [HasRole.of(*HALL_MANAGER)]

    @extend_schema(request=DutyManagerInput, responses=DutyManagerDayOutput)
    def post(self, request):
        data = DutyManagerInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        day = roster_services.roster_set_duty_manager(actor=request.user, **data.validated_data)
        return Response(DutyManagerDayOutput(day).data)


class DutyManagerClearedOutput(serializers.Serializer):
    hall = serializers.IntegerField(source="hall.pk")
    date = serializers.DateField()
    duty_managers = serializers.ListField(
        child=serializers.IntegerField(), help_text="Who the day falls back to: everyone with the duty manager role."
    )


class RosterDutyManagerClearApi(APIView):
    """Takes the named duty manager off a day (the hall manager); the day falls back to everyone with the duty
    manager role and its undone duties are re-decided. 409 when nobody is named that day."""

    permission_classes = [HasRole.of(*HALL_MANAGER)]

    @extend_schema(request=DutyManagerDayInput, responses=DutyManagerClearedOutput)
    def post(self, request):
        data = DutyManagerDayInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        hall, day = data.validated_data["hall"], data.validated_data["date"]
        roster_services.roster_clear_duty_manager(hall=hall, date=day, actor=request.user)
        fallback = {"hall": hall, "date": day, "duty_managers": [m.pk for m in responsible_managers(hall, day)]}
        return Response(DutyManagerClearedOutput(fallback).data)


# A person's calendar feed


class CalendarFeedOutput(serializers.Serializer):
    staff = serializers.IntegerField(source="user_id")
    url = serializers.SerializerMethodField(help_text="The new secret address of the person's iCal feed.")

    def get_url(self, feed) -> str:
        return feed_url(self.context["request"], feed)


class StaffCalendarFeedRotateApi(APIView):
    """Gives a person's iCal feed a new secret address (the person, or the hall manager for their staff, who is then
    told); the old address answers 404 from then on. 409 for someone who has left."""

    permission_classes = [HasRole.of(*STAFF_ROLES)]

    @extend_schema(request=None, responses=CalendarFeedOutput)
    def post(self, request, pk: int):
        person = get_in_hall(User.objects.filter(hall__isnull=False), request.user, pk=pk)
        feed = roster_services.calendar_feed_rotate(user=person, actor=request.user)
        return Response(CalendarFeedOutput(feed, context={"request": request}).data)
