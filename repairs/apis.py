"""Repair orders over the API: register, list and read, one view per workflow action, the timeline."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from hall.apis import (
    EvidenceFilesField,
    HallFilteredListApi,
    IdField,
    KeptHallField,
    RecordOutput,
    action_api,
    hall_for,
    timeline_api,
)
from hall.limits import TEXT_MAX
from hall.models import COUNTER_ROLES, MANAGER_ROLES, PHONE_PATTERN, Role, User
from hall.permissions import HasRole, get_in_hall
from repairs import selectors, services
from repairs.models import Fault, RepairOrder, RepairStatus, Urgency, max_length

READ_ROLES = (*COUNTER_ROLES, Role.REPAIR_WORKER)
FIELD_ROLES = (Role.REPAIR_WORKER, *MANAGER_ROLES)


def _repairs():
    return RepairOrder.objects.select_related("worker", "repeat_of").prefetch_related("photos")


class RepairOutput(RecordOutput):
    repeat_of_number = serializers.CharField(source="repeat_of.number", default=None, read_only=True)
    worker_name = serializers.CharField(source="worker.display_name", default=None, read_only=True)
    phone = serializers.SerializerMethodField()
    status_url = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    sla_state = serializers.SerializerMethodField()

    class Meta:
        model = RepairOrder
        fields = [
            "id",
            "hall",
            "number",
            "customer",
            "customer_name",
            "phone",
            "address",
            "fault",
            "description",
            "urgency",
            "key_customer",
            "status",
            "repeat_of",
            "repeat_of_number",
            "advice",
            "worker",
            "worker_name",
            "completion_notes",
            "satisfaction",
            "callback_notes",
            "respond_by",
            "callback_by",
            "dispatched_at",
            "arrived_at",
            "completed_at",
            "followed_up_at",
            "closed_at",
            "created_at",
            "status_url",
            "photos",
            "sla_state",
        ]

    def get_status_url(self, repair) -> str:
        return self.absolute(repair.get_status_url())

    def get_photos(self, repair) -> list[str]:
        return [self.absolute(reverse("repair-photo", args=[repair.pk, photo.pk])) for photo in repair.photos.all()]


def repair_response(request, pk: int, code=status.HTTP_200_OK) -> Response:
    (repair,) = selectors.with_sla_state(_repairs().filter(pk=pk))
    return Response(RepairOutput(repair, context={"request": request}).data, status=code)


@extend_schema_serializer(component_name="RepairRegisterInput")
class RegisterInput(serializers.Serializer):
    hall = KeptHallField()
    customer_name = serializers.CharField(max_length=max_length("customer_name"))
    phone = serializers.RegexField(PHONE_PATTERN, max_length=max_length("phone"))
    address = serializers.CharField(max_length=max_length("address"))
    fault = serializers.ChoiceField(choices=Fault.choices)
    description = serializers.CharField(max_length=max_length("description"))
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    key_customer = serializers.BooleanField(required=False, default=False)


class RepairRegisterApi(APIView):
    """The counter fills in the order for the customer; starts the on-site clock."""

    permission_classes = [HasRole.of(*COUNTER_ROLES)]

    @extend_schema(request=RegisterInput, responses={201: RepairOutput})
    def post(self, request):
        return register(request)


def register(request) -> Response:
    data = RegisterInput(data=request.data)
    data.is_valid(raise_exception=True)
    hall_for(request, data.validated_data["hall"].pk)
    repair = services.repair_register(actor=request.user, **data.validated_data)
    return repair_response(request, repair.pk, status.HTTP_201_CREATED)


@extend_schema_serializer(component_name="RepairFilter")
class RepairFilter(serializers.Serializer):
    hall = IdField(required=False)
    status = serializers.ChoiceField(choices=RepairStatus.choices, required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    worker = IdField(required=False)
    overdue = serializers.BooleanField(required=False, default=False)


class RepairListApi(HallFilteredListApi):
    """The user's hall's orders, newest first, each with the colour of its running clocks."""

    permission_classes = [HasRole.of(*READ_ROLES)]
    serializer_class = RepairOutput

    def base_queryset(self):
        found = self.filters(RepairFilter)
        repairs = selectors.repair_list(
            user=self.request.user,
            status=found.get("status"),
            urgency=found.get("urgency"),
            worker_id=found.get("worker"),
            overdue=found["overdue"],
        )
        return repairs.select_related("repeat_of").prefetch_related("photos")

    def paginate_queryset(self, queryset):
        return selectors.with_sla_state(super().paginate_queryset(queryset))

    @extend_schema(parameters=[RepairFilter], responses=RepairOutput(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RepairCollectionApi(RepairListApi):
    """GET lists orders (counter staff and repair workers); POST registers one (counter staff)."""

    def get_permissions(self):
        if self.request.method == "POST":
            return [permission() for permission in RepairRegisterApi.permission_classes]
        return super().get_permissions()

    @extend_schema(request=RegisterInput, responses={201: RepairOutput})
    def post(self, request):
        return register(request)


class RepairDetailApi(APIView):
    permission_classes = [HasRole.of(*READ_ROLES)]

    @extend_schema(responses=RepairOutput)
    def get(self, request, pk: int):
        repair = get_in_hall(RepairOrder.objects.all(), request.user, pk=pk)
        return repair_response(request, repair.pk)


RepairTimelineApi = timeline_api(RepairOrder, READ_ROLES)


@extend_schema_serializer(component_name="RepairDiagnoseInput")
class DiagnoseInput(serializers.Serializer):
    advice = serializers.CharField(max_length=TEXT_MAX)


@extend_schema_serializer(component_name="RepairDispatchInput")
class DispatchInput(serializers.Serializer):
    worker = IdField(required=False, allow_null=True)

    def validate_worker(self, worker_id):
        if worker_id is None:
            return None
        repair = self.context["repair"]
        worker = (
            User.objects.filter(pk=worker_id, hall_id=repair.hall_id, is_active=True, groups__name=Role.REPAIR_WORKER)
            .distinct()
            .first()
        )
        if worker is None:
            raise serializers.ValidationError(_("No repair worker of this hall has this id."))
        if worker.pk == repair.worker_id and repair.status == RepairStatus.DISPATCHED:
            raise serializers.ValidationError(_("The order is already with this worker."))
        return worker


@extend_schema_serializer(component_name="RepairCompleteInput")
class CompleteInput(serializers.Serializer):
    notes = serializers.CharField(max_length=TEXT_MAX)
    photos = EvidenceFilesField(max_files=services.MAX_PHOTOS, required=False, default=list)


@extend_schema_serializer(component_name="RepairCallbackInput")
class CallbackInput(serializers.Serializer):
    satisfaction = serializers.IntegerField(min_value=1, max_value=5)
    notes = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")


def _repair_action(service, roles, input_serializer=None):
    return action_api(service, RepairOutput, repair_response, roles, input_serializer, record="repair")


RepairDiagnoseApi = _repair_action(services.repair_diagnose, COUNTER_ROLES, DiagnoseInput)
RepairDispatchApi = _repair_action(services.repair_dispatch, COUNTER_ROLES, DispatchInput)
RepairArriveApi = _repair_action(services.repair_arrive, FIELD_ROLES)
RepairCompleteApi = _repair_action(services.repair_complete, FIELD_ROLES, CompleteInput)
RepairCallbackApi = _repair_action(services.repair_callback, COUNTER_ROLES, CallbackInput)
RepairCloseApi = _repair_action(services.repair_close, COUNTER_ROLES)
