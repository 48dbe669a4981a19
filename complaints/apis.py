"""Complaints over the API: accept (staff, or the customer on the public web form), list and read, correct the
intake, one view per workflow action, the timeline and the incident."""

from collections.abc import Mapping

from django.db.models import Count, prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints import policies, selectors, services
from complaints.models import Complaint, ComplaintCategory, ComplaintChannel, ComplaintEvidence, ComplaintStatus
from hall.apis import (
    EvidenceFilesField,
    HallFilteredListApi,
    IdField,
    KeptHallField,
    PublicThrottle,
    absolute,
    action_api,
    check_hall,
    refused,
    timeline_api,
)
from hall.limits import TEXT_MAX
from hall.models import HALL_ROLES, PHONE_PATTERN
from hall.people import people_who_can
from hall.permissions import HasRole, get_in_hall, phone_for

COMPLAINT_ROLES = policies.DESK_ROLES


def _complaints():
    return Complaint.objects.select_related("owner", "group", "customer").prefetch_related("evidence")


def with_facts(complaints) -> list[Complaint]:
    """Gives each complaint `.sla_state` and `.repeat_count`; see with_repeat_counts."""
    return with_repeat_counts(selectors.with_sla_state(complaints))


def with_repeat_counts(complaints: list[Complaint]) -> list[Complaint]:
    """Gives each complaint `.repeat_count`, the other complaints from its phone in its hall (what
    selectors.repeat_count counts), in one query for a whole page instead of one per row."""
    counts = dict.fromkeys(((c.hall_id, c.phone) for c in complaints), 0)
    if counts:
        rows = (
            Complaint.objects.filter(hall_id__in={key[0] for key in counts}, phone__in={key[1] for key in counts})
            .values_list("hall_id", "phone")
            .annotate(n=Count("id"))
        )
        counts.update({(hall_id, phone): n for hall_id, phone, n in rows})
    for complaint in complaints:
        complaint.repeat_count = max(counts[complaint.hall_id, complaint.phone] - 1, 0) if complaint.phone else 0
    return complaints


TIMESTAMP = serializers.DateTimeField()
# The complaint's promised and kept times, in the order its answer lists them.
MOMENTS = [
    "first_contact_due",
    "progress_due",
    "result_due",
    "follow_up_due",
    "first_contact_at",
    "resolved_at",
    "followed_up_at",
    "closed_at",
    "created_at",
]


class ComplaintOutput(serializers.ModelSerializer):
    # The schema of every complaint answer; the answer itself is complaint_output's dict
    # (tests/complaints/test_complaint_output.py holds the two together).

    owner_name = serializers.CharField(source="owner.display_name", read_only=True)
    group_number = serializers.CharField(source="group.number", default=None, read_only=True)
    phone = serializers.CharField(
        read_only=True, help_text="The customer's phone as the user may see it; none without a login."
    )
    tracking_url = serializers.CharField(read_only=True)
    evidence = serializers.ListField(child=serializers.CharField(), read_only=True)
    sla_state = serializers.CharField(read_only=True)
    repeat_count = serializers.IntegerField(read_only=True)
    customer_flags = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "hall",
            "number",
            "customer",
            "customer_name",
            "phone",
            "address",
            "channel",
            "category",
            "description",
            "ongoing_loss",
            "urgent",
            "status",
            "owner",
            "owner_name",
            "accepted_by",
            "group",
            "group_number",
            "resolution",
            "customer_confirmed",
            "satisfaction",
            "follow_up_note",
            "reopen_count",
            *MOMENTS,
            "tracking_url",
            "evidence",
            "sla_state",
            "repeat_count",
            "customer_flags",
        ]

    def to_representation(self, complaint):
        return complaint_output(complaint, self.context.get("request"))


def complaint_output(complaint: Complaint, request, *, just_taken: bool = False) -> dict:
    """The complaint as the API answers it (ComplaintOutput is its schema): a plain function, since a complaint taken
    waits for it. One `just_taken` has no evidence yet, which spares the query."""
    user = getattr(request, "user", None)
    evidence = [] if just_taken else complaint.evidence.all()
    return {
        "id": complaint.pk,
        "hall": complaint.hall_id,
        "number": complaint.number,
        "customer": complaint.customer_id,
        "customer_name": complaint.customer_name,
        "phone": phone_for(user, complaint.phone) if user is not None and user.is_authenticated else "",
        "address": complaint.address,
        "channel": complaint.channel,
        "category": complaint.category,
        "description": complaint.description,
        "ongoing_loss": complaint.ongoing_loss,
        "urgent": complaint.urgent,
        "status": complaint.status,
        "owner": complaint.owner_id,
        "owner_name": complaint.owner.display_name,
        "accepted_by": complaint.accepted_by_id,
        "group": complaint.group_id,
        "group_number": complaint.group.number if complaint.group_id else None,
        "resolution": complaint.resolution,
        "customer_confirmed": complaint.customer_confirmed,
        "satisfaction": complaint.satisfaction,
        "follow_up_note": complaint.follow_up_note,
        "reopen_count": complaint.reopen_count,
        **{name: TIMESTAMP.to_representation(getattr(complaint, name)) for name in MOMENTS},
        "tracking_url": absolute({"request": request}, reverse("complaint-track", args=[complaint.token])),
        "evidence": [
            absolute({"request": request}, reverse("complaint-evidence", args=[complaint.pk, item.pk]))
            for item in evidence
        ],
        "sla_state": getattr(complaint, "sla_state", ""),
        "repeat_count": getattr(complaint, "repeat_count", 0),
        "customer_flags": complaint.customer.flags,
    }


class PublicComplaintOutput(serializers.Serializer):
    """What the customer who used the web form learns: no owner, no internal notes."""

    number = serializers.CharField()
    status = serializers.CharField()
    first_contact_due = serializers.DateTimeField()
    result_due = serializers.DateTimeField()
    tracking_url = serializers.SerializerMethodField()

    def get_tracking_url(self, complaint) -> str:
        return absolute(self.context, reverse("complaint-track", args=[complaint.token]))


def complaint_response(request, pk: int, code=status.HTTP_200_OK) -> Response:
    (complaint,) = with_facts(_complaints().filter(pk=pk))
    return Response(complaint_output(complaint, request), status=code)


class ComplaintAcceptInput(serializers.Serializer):
    hall = KeptHallField()
    customer_name = serializers.CharField(max_length=100)
    phone = serializers.RegexField(PHONE_PATTERN, max_length=20)
    channel = serializers.ChoiceField(choices=ComplaintChannel.choices)
    category = serializers.ChoiceField(choices=ComplaintCategory.choices)
    description = serializers.CharField(max_length=TEXT_MAX)
    ongoing_loss = serializers.BooleanField(required=False, default=False)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    group = IdField(required=False, allow_null=True)

    def validate(self, data):
        group_id = data.get("group")
        if group_id is None:
            data["group"] = None
            return data
        group = Complaint.objects.filter(pk=group_id, hall=data["hall"]).first()
        if group is None:
            raise serializers.ValidationError({"group": [_("No complaint of this hall has this id.")]})
        data["group"] = group
        return data


class PublicAcceptInput(ComplaintAcceptInput):
    """The public web form: no incident link, that is the desk's call."""

    group = None


class CanAcceptComplaint(BasePermission):
    """Complaint staff for any channel; a caller without a login only through the web form."""

    def has_permission(self, request, view):
        if request.user and request.user.is_authenticated:
            return request.user.has_role(*COMPLAINT_ROLES)
        return isinstance(request.data, Mapping) and request.data.get("channel") == ComplaintChannel.WEB


def accept(request) -> Response:
    if not request.user.is_authenticated:
        data = PublicAcceptInput(data=request.data)
        data.is_valid(raise_exception=True)
        complaint = services.complaint_accept(actor=None, **data.validated_data)
        output = PublicComplaintOutput(complaint, context={"request": request})
        return Response(output.data, status=status.HTTP_201_CREATED)
    data = ComplaintAcceptInput(data=request.data)
    data.is_valid(raise_exception=True)
    check_hall(request, data.validated_data["hall"])
    complaint = services.complaint_accept(actor=request.user, **data.validated_data)
    # Answered from the complaint as written; only what other tables hold is read.
    (complaint,) = with_facts([complaint])
    return Response(complaint_output(complaint, request, just_taken=True), status=status.HTTP_201_CREATED)


class ComplaintFilter(serializers.Serializer):
    hall = IdField(required=False)
    status = serializers.ChoiceField(choices=ComplaintStatus.choices, required=False)
    owner = IdField(required=False)
    overdue = serializers.BooleanField(required=False, default=False)
    customer_phone = serializers.RegexField(PHONE_PATTERN, max_length=20, required=False)


class ComplaintListApi(HallFilteredListApi):
    """The user's hall's complaints, newest first (overdue: the longest overdue first)."""

    permission_classes = [HasRole.of(*COMPLAINT_ROLES)]
    serializer_class = ComplaintOutput

    def base_queryset(self):
        found = self.filters(ComplaintFilter)
        complaints = selectors.complaint_list(
            user=self.request.user,
            status=found.get("status"),
            owner_id=found.get("owner"),
            overdue=found["overdue"],
            customer_phone=found.get("customer_phone", ""),
        )
        return complaints.select_related("group", "customer").prefetch_related("evidence")

    def paginate_queryset(self, queryset):
        return with_facts(super().paginate_queryset(queryset))

    @extend_schema(parameters=[ComplaintFilter], responses=ComplaintOutput(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PublicComplaintThrottle(PublicThrottle):
    """The public form's limit: the same count, under the same scope, as the complaint page's."""

    scope = "complaint"
    rate = f"{policies.PUBLIC_COMPLAINTS_PER_MINUTE}/min"


class ComplaintCollectionApi(ComplaintListApi):
    """GET lists complaints (complaint staff); POST accepts one: staff for their own hall on any channel, the
    customer without a login on the web channel only (rate-limited)."""

    throttle_classes = [PublicComplaintThrottle]

    def get_permissions(self):
        if self.request.method == "POST":
            return [CanAcceptComplaint()]
        return super().get_permissions()

    @extend_schema(
        request=ComplaintAcceptInput,
        responses={
            201: OpenApiResponse(
                ComplaintOutput,
                description="Staff get the whole complaint; a caller without a login gets only "
                "{number, status, first_contact_due, result_due, tracking_url}.",
            )
        },
    )
    def post(self, request):
        return accept(request)


class ComplaintUpdateInput(serializers.Serializer):
    """The intake fields that may be corrected; the owner changes only by a hand-over."""

    category = serializers.ChoiceField(choices=ComplaintCategory.choices, required=False)
    description = serializers.CharField(max_length=TEXT_MAX, required=False)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    customer_name = serializers.CharField(max_length=100, required=False)

    def validate(self, data):
        refused = {
            key: [
                _("The owner changes only by a hand-over: use hand-over.")
                if key == "owner"
                else _("This field cannot be corrected.")
            ]
            for key in self.initial_data
            if key not in self.fields
        }
        if refused:
            raise serializers.ValidationError(refused)
        return data


NOT_PERMITTED = refused("Not the complaint's owner (首问负责人), nor the duty manager or the hall manager.")


class ComplaintDetailApi(APIView):
    """GET reads a complaint; PATCH corrects what was written at intake."""

    permission_classes = [HasRole.of(*COMPLAINT_ROLES)]

    @extend_schema(responses=ComplaintOutput)
    def get(self, request, pk: int):
        complaint = get_in_hall(Complaint.objects.all(), request.user, pk=pk)
        return complaint_response(request, complaint.pk)

    @extend_schema(request=ComplaintUpdateInput, responses={200: ComplaintOutput, 403: NOT_PERMITTED})
    def patch(self, request, pk: int):
        complaint = get_in_hall(Complaint.objects.all(), request.user, pk=pk)
        data = ComplaintUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.complaint_update(complaint=complaint, actor=request.user, **data.validated_data)
        return complaint_response(request, complaint.pk)


ComplaintTimelineApi = timeline_api(Complaint, COMPLAINT_ROLES)


class ComplaintMembersApi(APIView):
    """The incident the complaint belongs to: its first complaint, then every complaint linked to it."""

    permission_classes = [HasRole.of(*COMPLAINT_ROLES)]

    @extend_schema(responses=ComplaintOutput(many=True))
    def get(self, request, pk: int):
        complaint = get_in_hall(Complaint.objects.select_related("group"), request.user, pk=pk)
        incident = selectors.incident_members(complaint.group or complaint)
        prefetch_related_objects(incident, "customer", "group", "evidence")
        output = ComplaintOutput(with_repeat_counts(incident), many=True, context={"request": request})
        return Response(output.data)


@extend_schema_serializer(component_name="ComplaintInvestigateInput")
class InvestigateInput(serializers.Serializer):
    note = serializers.CharField(max_length=TEXT_MAX)
    evidence = EvidenceFilesField(
        allowed=ComplaintEvidence.allowed_types, max_files=ComplaintEvidence.max_files, required=False, default=list
    )


@extend_schema_serializer(component_name="ComplaintProgressInput")
class ProgressInput(serializers.Serializer):
    note = serializers.CharField(max_length=TEXT_MAX)


class GroupInput(serializers.Serializer):
    apply_to_group = serializers.BooleanField(required=False, default=False)

    def validate_apply_to_group(self, apply):
        lead = self.context["complaint"].group
        if apply and lead is not None:
            raise serializers.ValidationError(services.APPLY_FROM_LEAD % {"number": lead.number})
        return apply


@extend_schema_serializer(component_name="ComplaintCatchUpInput")
class CatchUpInput(serializers.Serializer):
    """On an incident's first complaint that took the step alone: its open members take it too."""

    step = serializers.ChoiceField(choices=sorted(services.CAUGHT_UP_FROM))

    def validate_step(self, step):
        lead = self.context["complaint"].group
        if lead is not None:
            raise serializers.ValidationError(services.APPLY_FROM_LEAD % {"number": lead.number})
        return step


@extend_schema_serializer(component_name="ComplaintResolveInput")
class ResolveInput(GroupInput):
    resolution = serializers.CharField(max_length=TEXT_MAX)
    customer_confirmed = serializers.BooleanField(required=False, default=False)
    justified = serializers.BooleanField(required=False, allow_null=True, default=None)
    justified_against = IdField(
        required=False, allow_null=True, default=None, help_text="A member of the hall's staff (HALL_ROLES)."
    )

    def validate_justified_against(self, user_id):
        if user_id is None:
            return None
        user = people_who_can(self.context["complaint"].hall_id, HALL_ROLES).filter(pk=user_id).first()
        if user is None:
            raise serializers.ValidationError(_("Nobody of this hall's staff has this id."))
        return user

    def validate(self, data):
        if data.get("justified_against") is not None and data.get("justified") is not True:
            raise serializers.ValidationError(
                {"justified_against": [_("Only a justified complaint is justified against someone.")]}
            )
        return data


@extend_schema_serializer(component_name="ComplaintFollowUpInput")
class FollowUpInput(GroupInput):
    satisfaction = serializers.IntegerField(min_value=1, max_value=5)
    note = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")


@extend_schema_serializer(component_name="ComplaintReopenInput")
class ReopenInput(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX)


@extend_schema_serializer(component_name="ComplaintHandOverInput")
class HandOverInput(serializers.Serializer):
    to = IdField()
    reason = serializers.CharField(max_length=TEXT_MAX)

    def validate_to(self, user_id):
        complaint = self.context["complaint"]
        user = selectors.desk_staff(hall_id=complaint.hall_id).filter(pk=user_id).first()
        if user is None:
            raise serializers.ValidationError(_("Nobody at this hall's complaint desk has this id."))
        if user.pk == complaint.owner_id:
            raise serializers.ValidationError(_("This person already owns the complaint."))
        return user


def _complaint_action(service, input_serializer=None):
    return action_api(
        service,
        ComplaintOutput,
        complaint_response,
        COMPLAINT_ROLES,
        input_serializer,
        queryset=Complaint.objects.select_related("group"),
    )


def _owners_step(view):
    """Documents the 403 of a step that only the owner or a manager may take (complaints.policies)."""
    extend_schema(responses={200: ComplaintOutput, 403: NOT_PERMITTED})(view.post)
    return view


ComplaintInvestigateApi = _owners_step(_complaint_action(services.complaint_investigate, InvestigateInput))
ComplaintProgressApi = _owners_step(_complaint_action(services.complaint_progress, ProgressInput))
ComplaintResolveApi = _owners_step(_complaint_action(services.complaint_resolve, ResolveInput))
# Anyone at the desk may follow the customer up.
ComplaintFollowUpApi = _complaint_action(services.complaint_follow_up, FollowUpInput)
# The resolution is the owner's or a manager's to spread to the incident; the follow-up anyone's at the desk.
ComplaintCatchUpApi = _owners_step(_complaint_action(services.complaint_catch_up, CatchUpInput))
ComplaintCloseApi = _owners_step(_complaint_action(services.complaint_close))
ComplaintReopenApi = _owners_step(_complaint_action(services.complaint_reopen, ReopenInput))
ComplaintHandOverApi = _owners_step(_complaint_action(services.complaint_hand_over, HandOverInput))
