"""Handovers at the end of a shift over the API: the note with the hall's open items, and acknowledging it."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from hall.apis import action_api, timeline_api
from hall.limits import LONG_TEXT_MAX
from hall.models import Hall
from hall.permissions import HasRole, get_in_hall
from staff import dates, handover_services
from staff.apis import STAFF_ROLES, HallField, StaffCollectionApi, id_field, member_of
from staff.models import Handover, HandoverStatus


class HandoverOutput(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.display_name", read_only=True)
    incoming_name = serializers.CharField(source="incoming.display_name", default=None, read_only=True)
    handed_over_at = serializers.DateTimeField(
        source="created_at",
        read_only=True,
        help_text="When the shift was really handed over (the moment of the POST); shift_end is its planned end.",
    )
    open_items = serializers.ListField(
        child=serializers.DictField(),
        source="labelled_items",
        read_only=True,
        help_text="Each {kind, label (in the reader's language), link?} and its kind's parameters: tickets {count, "
        "code}, repair and complaint {number}, duty {chore}; note (the author's own) has only its label.",
    )

    class Meta:
        model = Handover
        fields = ["id", "hall", "author", "author_name", "incoming", "incoming_name", "handed_over_at", "shift_end"]
        fields += ["note"]
        fields += ["open_items", "status", "acknowledged_at", "created_at"]


def _handovers():
    return Handover.objects.select_related("author", "incoming")


def handover_response(request, pk: int, code=status.HTTP_200_OK) -> Response:
    return Response(HandoverOutput(_handovers().get(pk=pk)).data, status=code)


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "object", "properties": {"label": {"type": "string"}}}]})
class ExtraItemField(serializers.Field):
    """A client's own open item: a text, or an object with a `label` (as the items come back). The label is
    checked as any text field is (a NUL character, which PostgreSQL cannot store, is refused)."""

    def to_internal_value(self, data):
        label = data.get("label") if isinstance(data, dict) else data
        if not isinstance(label, str) or not label.strip():
            raise ValidationError(_('An item is a text or {"label": text}.'))
        if len(label) > 200:
            raise ValidationError(_("An item has at most 200 characters."))
        return {"kind": "note", "label": serializers.CharField().run_validation(label)}

    def to_representation(self, value):
        return value


class HandoverCreateInput(serializers.Serializer):
    hall = HallField(required=False, help_text="Default: the requesting user's hall.")
    shift_end = serializers.DateTimeField(
        validators=[dates.moment_within_reach], help_text="The shift's planned end; the handover is recorded as now."
    )
    note = serializers.CharField(max_length=LONG_TEXT_MAX, required=False, allow_blank=True, default="")
    open_items = serializers.ListField(
        child=ExtraItemField(),
        required=False,
        default=list,
        max_length=50,
        help_text="Items the author adds. The open items of the hall (waiting tickets, overdue repairs and "
        'complaints, undone duties) are always listed by the server; these are added as {"kind": "note", "label"}.',
    )
    incoming = id_field(required=False, allow_null=True, help_text="Who takes over; default: the duty manager.")

    def validate(self, data):
        user = self.context["request"].user
        hall = data.get("hall") or Hall.objects.filter(pk=user.hall_id).first()
        if hall is None:
            raise ValidationError({"hall": [_("Say which hall.")]})
        data["hall"] = hall
        if data.get("incoming") is not None:
            if data["incoming"] == user.pk:
                raise ValidationError({"incoming": [_("A shift is handed over to someone else.")]})
            data["incoming"] = member_of(hall.pk, data["incoming"], "incoming", *handover_services.INCOMING_ROLES)
        return data


class HandoverFilter(serializers.Serializer):
    hall = id_field(required=False)
    status = serializers.ChoiceField(choices=HandoverStatus.choices, required=False)


class HandoverCollectionApi(StaffCollectionApi):
    """GET: the hall's handovers, latest first; POST: the requesting user hands their shift over."""

    queryset = Handover.objects.none()  # names the model for the schema; rows come from base_queryset
    serializer_class = HandoverOutput

    def base_queryset(self):
        found = self.filters(HandoverFilter)
        handovers = _handovers()
        return handovers.filter(status=found["status"]) if "status" in found else handovers

    @extend_schema(parameters=[HandoverFilter], responses=HandoverOutput(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=HandoverCreateInput, responses={201: HandoverOutput})
    def post(self, request):
        data = HandoverCreateInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        extra_items = fields.pop("open_items")
        handover = handover_services.handover_create(author=request.user, extra_items=extra_items, **fields)
        return handover_response(request, handover.pk, status.HTTP_201_CREATED)


class HandoverDetailApi(APIView):
    permission_classes = [HasRole.of(*STAFF_ROLES)]

    @extend_schema(responses=HandoverOutput)
    def get(self, request, pk: int):
        return handover_response(request, get_in_hall(Handover.objects.all(), request.user, pk=pk).pk)


HandoverAcknowledgeApi = action_api(
    handover_services.handover_acknowledge, HandoverOutput, handover_response, STAFF_ROLES
)
HandoverTimelineApi = timeline_api(Handover, STAFF_ROLES)
