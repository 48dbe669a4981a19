"""Suggestions, praise and mystery-shopper visits over the API."""

import json

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from feedback import policies, selectors, services
from feedback.models import Feedback, FeedbackKind, MysteryEvidence, MysteryVisit, Result
from hall.apis import (
    EvidenceFilesField,
    HallFilteredListApi,
    IdField,
    KeptHallField,
    PublicThrottle,
    action_api,
    check_hall,
    timeline_api,
)
from hall.limits import TEXT_MAX
from hall.models import PHONE_PATTERN
from hall.permissions import HasRole, get_in_hall, phone_for
from patrols.models import PatrolTemplate


class FeedbackOutput(serializers.ModelSerializer):
    phone = serializers.SerializerMethodField()
    staff_name = serializers.CharField(source="staff.display_name", default=None)

    class Meta:
        model = Feedback
        fields = [
            "id",
            "reference",
            "hall",
            "kind",
            "channel",
            "customer_name",
            "phone",
            "text",
            "staff",
            "staff_name",
            "created_at",
            "reply_due",
            "reply",
            "replied_at",
            "replied_by",
        ]

    def get_phone(self, feedback) -> str:
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return ""
        return phone_for(request.user, feedback.phone)


class PublicFeedbackOutput(serializers.ModelSerializer):
    """What a customer without a login gets back: the reference they follow it by (POST /api/feedback/follow/)."""

    class Meta:
        model = Feedback
        fields = ["id", "reference", "kind", "created_at", "reply_due"]


class FeedbackInput(serializers.Serializer):
    hall = KeptHallField()
    kind = serializers.ChoiceField(choices=FeedbackKind.choices)
    customer_name = serializers.CharField(max_length=100)
    phone = serializers.RegexField(PHONE_PATTERN, max_length=20)
    text = serializers.CharField(max_length=TEXT_MAX)
    staff = IdField(required=False, allow_null=True)

    def validate(self, data):
        staff_id = data.get("staff")
        data["staff"] = None
        if staff_id is not None:
            data["staff"] = selectors.praisable_staff(data["hall"]).filter(pk=staff_id).first()
            if data["staff"] is None:
                raise serializers.ValidationError({"staff": [_("Nobody of this hall's staff has this id.")]})
        if data["kind"] == FeedbackKind.PRAISE and data["staff"] is None:
            raise serializers.ValidationError({"staff": [_("Praise names the member of staff it is for.")]})
        return data


class FeedbackFilter(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FeedbackKind.choices, required=False)
    unanswered = serializers.BooleanField(required=False, default=False)
    staff = IdField(required=False)


class PublicFeedbackThrottle(PublicThrottle):
    """The public form's limit: the same count, under the same scope, as the feedback page's."""

    scope = "feedback"
    rate = f"{policies.PUBLIC_FEEDBACK_PER_MINUTE}/min"


FOLLOW_NOT_FOUND = _("Nothing was found for this reference and these digits.")


class FeedbackCollectionApi(HallFilteredListApi):
    """GET lists the hall's suggestions and praise, newest first (staff); POST takes one: staff for their own hall
    at the counter, or the customer without a login (rate-limited)."""

    serializer_class = FeedbackOutput
    throttle_classes = [PublicFeedbackThrottle]

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return [HasRole.of(*policies.DESK_ROLES)()]

    def base_queryset(self):
        filters = self.filters(FeedbackFilter)
        found = Feedback.objects.select_related("staff")
        if filters.get("kind"):
            found = found.filter(kind=filters["kind"])
        if filters.get("staff"):
            found = found.filter(staff_id=filters["staff"])
        if filters["unanswered"]:
            found = found.filter(kind=FeedbackKind.SUGGESTION, replied_at__isnull=True)
        return found

    @extend_schema(parameters=[FeedbackFilter], responses=FeedbackOutput(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=FeedbackInput, responses={201: FeedbackOutput})
    def post(self, request):
        data = FeedbackInput(data=request.data)
        data.is_valid(raise_exception=True)
        if request.user.is_authenticated:
            if not request.user.has_role(*policies.DESK_ROLES):
                return Response({"detail": str(_("You may not do this.")), "code": "permission_denied"}, status=403)
            check_hall(request, data.validated_data["hall"])
            feedback = services.feedback_receive(actor=request.user, **data.validated_data)
            return Response(FeedbackOutput(feedback, context={"request": request}).data, status=status.HTTP_201_CREATED)
        feedback = services.feedback_receive(actor=None, **data.validated_data)
        return Response(PublicFeedbackOutput(feedback).data, status=status.HTTP_201_CREATED)


class FeedbackFollowInput(serializers.Serializer):
    hall = KeptHallField()
    reference = serializers.CharField(max_length=20)
    phone_end = serializers.RegexField(
        r"^[0-9]{4}$", error_messages={"invalid": _("Enter the last four digits of the phone number you gave.")}
    )


class FeedbackFollowOutput(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=["received", "replied"])
    reply = serializers.CharField()
    replied_at = serializers.DateTimeField(allow_null=True)


class FeedbackFollowThrottle(PublicThrottle):
    """The follow page's limit: the same count, under the same scope, as the page's."""

    scope = "feedback-follow"
    rate = f"{policies.FOLLOW_TRIES_PER_MINUTE}/min"


class FeedbackFollowApi(APIView):
    """The customer, without a login: their reference and the last four digits of the phone they gave answer
    whether it is answered, the answer and when; 404 alike for either being wrong."""

    permission_classes = [AllowAny]
    throttle_classes = [FeedbackFollowThrottle]

    @extend_schema(request=FeedbackFollowInput, responses=FeedbackFollowOutput)
    def post(self, request):
        data = FeedbackFollowInput(data=request.data)
        data.is_valid(raise_exception=True)
        found = selectors.followed_feedback(**data.validated_data)
        if found is None:
            raise NotFound(FOLLOW_NOT_FOUND)
        return Response(FeedbackFollowOutput(found).data)


class FeedbackDetailApi(APIView):
    permission_classes = [HasRole.of(*policies.DESK_ROLES)]

    @extend_schema(responses=FeedbackOutput)
    def get(self, request, pk: int):
        feedback = get_in_hall(Feedback.objects.select_related("staff"), request.user, pk=pk)
        return Response(FeedbackOutput(feedback, context={"request": request}).data)


class ReplyInput(serializers.Serializer):
    text = serializers.CharField(max_length=TEXT_MAX)


def feedback_response(request, pk: int) -> Response:
    feedback = Feedback.objects.select_related("staff").get(pk=pk)
    return Response(FeedbackOutput(feedback, context={"request": request}).data)


FeedbackReplyApi = action_api(
    services.feedback_reply, FeedbackOutput, feedback_response, policies.DESK_ROLES, ReplyInput
)
FeedbackTimelineApi = timeline_api(Feedback, policies.DESK_ROLES)


# Mystery-shopper visits


class MysteryResultOutput(serializers.Serializer):
    item = serializers.IntegerField(source="item_id")
    item_text = serializers.CharField(source="item.text")
    category = serializers.CharField(source="item.category")
    points = serializers.IntegerField(source="item.points")
    result = serializers.CharField()
    note = serializers.CharField()
    staff = serializers.IntegerField(source="staff_id", allow_null=True)
    staff_name = serializers.CharField(source="staff.display_name", default=None)


class MysteryEvidenceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    content_type = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, evidence) -> str:
        path = f"{evidence.visit.get_absolute_url()}evidence/{evidence.pk}/"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


NO_EVIDENCE = _("No evidence: this visit's failed items cannot be deducted from anyone.")


class MysteryVisitOutput(serializers.ModelSerializer):
    results = MysteryResultOutput(many=True)
    evidence = MysteryEvidenceOutput(many=True)
    has_evidence = serializers.SerializerMethodField()
    deductible = serializers.SerializerMethodField(help_text="Whether failed items naming a person count.")
    warning = serializers.SerializerMethodField()

    class Meta:
        model = MysteryVisit
        fields = [
            "id",
            "hall",
            "template",
            "visited_at",
            "visitor",
            "note",
            "recorded_by",
            "created_at",
            "results",
            "evidence",
            "has_evidence",
            "deductible",
            "warning",
        ]

    def get_has_evidence(self, visit) -> bool:
        return bool(visit.evidence.all())

    def get_deductible(self, visit) -> bool:
        return self.get_has_evidence(visit)

    def get_warning(self, visit) -> str:
        return "" if self.get_has_evidence(visit) else str(NO_EVIDENCE)


class ResultInput(serializers.Serializer):
    item = IdField()
    result = serializers.ChoiceField(choices=Result.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    staff = IdField(required=False, allow_null=True)


class JsonListField(serializers.ListField):
    """A list given as JSON, or as a JSON string in a multipart form."""

    def to_internal_value(self, data):
        if isinstance(data, list) and len(data) == 1 and isinstance(data[0], str):
            data = data[0]
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError:
                raise serializers.ValidationError(_("Not valid JSON.")) from None
        return super().to_internal_value(data)

    def get_value(self, dictionary):
        if hasattr(dictionary, "getlist") and self.field_name in dictionary:
            values = dictionary.getlist(self.field_name)
            return values[0] if len(values) == 1 else values
        return super().get_value(dictionary)


class MysteryVisitInput(serializers.Serializer):
    hall = KeptHallField()
    visited_at = serializers.DateTimeField()
    visitor = serializers.CharField(max_length=200)
    template = IdField()
    note = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")
    results = JsonListField(child=ResultInput(), min_length=1)
    evidence = EvidenceFilesField(
        allowed=MysteryEvidence.allowed_types, max_files=MysteryEvidence.max_files, required=False, default=list
    )

    def validate(self, data):
        hall = data["hall"]
        template = PatrolTemplate.objects.filter(pk=data["template"], hall=hall).first()
        if template is None:
            raise serializers.ValidationError({"template": [_("No template of this hall has this id.")]})
        data["template"] = template
        items = {item.pk: item for item in template.current_items()}
        staff = {
            person.pk: person
            for person in selectors.praisable_staff(hall).filter(
                pk__in=[row["staff"] for row in data["results"] if row.get("staff")]
            )
        }
        errors, seen = [], set()
        for row in data["results"]:
            if row["item"] in seen:
                errors.append(_("Each item is given once."))
            seen.add(row["item"])
            if row["item"] not in items:
                errors.append(_("Item %(id)s is not in this template.") % {"id": row["item"]})
            elif row.get("staff") and row["staff"] not in staff:
                errors.append(_("Nobody of this hall's staff has the id %(id)s.") % {"id": row["staff"]})
            else:
                row["item"] = items[row["item"]]
                row["staff"] = staff.get(row.get("staff"))
        if errors:
            raise serializers.ValidationError({"results": list(dict.fromkeys(errors))})
        return data


def _visits():
    return MysteryVisit.objects.select_related("template").prefetch_related(
        "results__item", "results__staff", "evidence"
    )


class MysteryVisitCollectionApi(HallFilteredListApi):
    """GET the hall's visits, latest first; POST records one (multipart with `evidence` files, `results` as
    JSON)."""

    permission_classes = [HasRole.of(*policies.VISIT_ROLES)]
    serializer_class = MysteryVisitOutput

    def base_queryset(self):
        return _visits()

    @extend_schema(request=MysteryVisitInput, responses={201: MysteryVisitOutput})
    def post(self, request):
        data = MysteryVisitInput(data=request.data)
        data.is_valid(raise_exception=True)
        check_hall(request, data.validated_data["hall"])
        visit = services.mystery_visit_record(actor=request.user, **data.validated_data)
        output = MysteryVisitOutput(_visits().get(pk=visit.pk), context={"request": request})
        return Response(output.data, status=status.HTTP_201_CREATED)


class MysteryVisitDetailApi(APIView):
    permission_classes = [HasRole.of(*policies.VISIT_ROLES)]

    @extend_schema(responses=MysteryVisitOutput)
    def get(self, request, pk: int):
        visit = get_in_hall(_visits(), request.user, pk=pk)
        return Response(MysteryVisitOutput(visit, context={"request": request}).data)
