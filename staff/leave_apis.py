"""Leave over the API: requests, the hall manager's decision and cancelling."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from hall.apis import TimelineEventOutput, action_api
from hall.limits import NOTE_MAX
from hall.models import MANAGER_ROLES, User
from hall.permissions import HasRole, get_in_hall
from hall.timeline import timeline_for
from staff import dates, roster_services
from staff.apis import HALL_MANAGER, STAFF_ROLES, DayField, StaffCollectionApi, id_field, member_of
from staff.models import Leave, LeaveStatus


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
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")


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
