"""Patrols and rectifications over the API: a patrol's walk and finish, rectifications' fix and check (templates:
template_apis, scores: score_apis)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from hall.apis import HallFilteredListApi, IdField, KeptHallField, check_hall
from hall.limits import NOTE_MAX
from hall.models import User
from hall.people import can_do
from hall.permissions import HasRole, get_in_hall
from hall.uploads import validate_evidence
from patrols import policies, selectors, services
from patrols.models import Patrol, PatrolItem, PatrolTemplate, Rectification, Result


class PhotoField(serializers.FileField):
    """One photo, checked by its content (hall.uploads), never by its name."""

    def to_internal_value(self, data):
        upload = super().to_internal_value(data)
        try:
            validate_evidence(upload)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        return upload


class CheckOutput(serializers.Serializer):
    item = serializers.IntegerField(source="item.pk")
    category = serializers.CharField(source="item.category")
    text = serializers.CharField(source="item.text")
    points = serializers.IntegerField(source="item.points")
    names_staff = serializers.BooleanField(source="item.names_staff")
    result = serializers.CharField(source="check.result", default=None)
    note = serializers.CharField(source="check.note", default="")
    staff = serializers.IntegerField(source="check.staff_id", default=None)
    has_photo = serializers.SerializerMethodField()
    repeated = serializers.BooleanField()

    def get_has_photo(self, row) -> bool:
        return bool(row["check"] and row["check"].photo)


class PatrolOutput(serializers.ModelSerializer):
    items = serializers.SerializerMethodField()
    categories = serializers.SerializerMethodField()
    repeated_items = serializers.SerializerMethodField()
    rectifications = serializers.SerializerMethodField()

    class Meta:
        model = Patrol
        fields = [
            "id",
            "hall",
            "template",
            "author",
            "started_at",
            "finished_at",
            "score",
            "max_score",
            "categories",
            "items",
            "repeated_items",
            "rectifications",
        ]

    def get_items(self, patrol) -> list[dict]:
        rows = [row for group in selectors.walk(patrol) for row in group["rows"]]
        return CheckOutput(rows, many=True).data

    def get_categories(self, patrol) -> list[dict]:
        return selectors.category_scores(patrol)

    def get_repeated_items(self, patrol) -> list[int]:
        return sorted(selectors.repeated_items(patrol))

    def get_rectifications(self, patrol) -> list[dict]:
        found = Rectification.objects.filter(check_result__patrol=patrol).select_related("check_result__item")
        return RectificationOutput(found, many=True).data


class PatrolListOutput(serializers.ModelSerializer):
    class Meta:
        model = Patrol
        fields = ["id", "hall", "template", "author", "started_at", "finished_at", "score", "max_score"]


class PatrolInput(serializers.Serializer):
    hall = KeptHallField()
    template = IdField()


def _patrols():
    return Patrol.objects.select_related("hall", "template")


class PatrolCollectionApi(HallFilteredListApi):
    """GET the hall's patrols, newest first; POST starts one from a template (the duty or hall manager)."""

    serializer_class = PatrolListOutput
    permission_classes = [HasRole.of(*policies.PATROL_ROLES)]

    def base_queryset(self):
        return _patrols().order_by("-started_at")

    @extend_schema(request=PatrolInput, responses={201: PatrolOutput})
    def post(self, request):
        data = PatrolInput(data=request.data)
        data.is_valid(raise_exception=True)
        hall = check_hall(request, data.validated_data["hall"])
        template = PatrolTemplate.objects.filter(hall=hall, pk=data.validated_data["template"]).first()
        if template is None:
            raise serializers.ValidationError({"template": [_("This hall has no template of that id.")]})
        patrol = services.patrol_start(hall=hall, template=template, actor=request.user)
        return Response(PatrolOutput(patrol).data, status=status.HTTP_201_CREATED)


class PatrolDetailApi(APIView):
    permission_classes = [HasRole.of(*policies.PATROL_ROLES)]

    @extend_schema(responses=PatrolOutput)
    def get(self, request, pk: int):
        return Response(PatrolOutput(get_in_hall(_patrols(), request.user, pk=pk)).data)


class CheckInput(serializers.Serializer):
    result = serializers.ChoiceField(choices=Result.choices)
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")
    staff = IdField(required=False, allow_null=True, default=None)
    photo = PhotoField(required=False, allow_null=True, default=None)

    def validate_staff(self, staff_id):
        if staff_id is None:
            return None
        patrol = self.context["patrol"]
        person = User.objects.filter(pk=staff_id).first()
        if person is None or not can_do(person, patrol.hall_id, selectors.HALL_ROLES):
            raise serializers.ValidationError(_("No staff member of this hall has this id."))
        return person


class PatrolCheckApi(APIView):
    """Marks one item of the patrol passed or failed (multipart with `photo` for a photo)."""

    permission_classes = [HasRole.of(*policies.PATROL_ROLES)]

    @extend_schema(request=CheckInput, responses=PatrolOutput)
    def post(self, request, pk: int, item: int):
        patrol = get_in_hall(_patrols(), request.user, pk=pk)
        template_item = get_object_or_404(PatrolItem.objects.select_related("item"), patrol=patrol, item_id=item).item
        data = CheckInput(data=request.data, context={"patrol": patrol})
        data.is_valid(raise_exception=True)
        services.patrol_check(patrol=patrol, item=template_item, actor=request.user, **data.validated_data)
        return Response(PatrolOutput(patrol).data)


class FinishOutput(serializers.Serializer):
    score = serializers.IntegerField()
    max_score = serializers.IntegerField()
    categories = serializers.ListField(child=serializers.DictField())
    repeated_items = serializers.ListField(child=serializers.IntegerField())
    rectifications = serializers.ListField(child=serializers.DictField())


class PatrolFinishApi(APIView):
    permission_classes = [HasRole.of(*policies.PATROL_ROLES)]

    @extend_schema(request=None, responses=FinishOutput)
    def post(self, request, pk: int):
        patrol = get_in_hall(_patrols(), request.user, pk=pk)
        patrol = services.patrol_finish(patrol=patrol, actor=request.user)
        output = PatrolOutput(patrol).data
        return Response({key: output[key] for key in FinishOutput().fields} | {"id": patrol.pk})


class RectificationOutput(serializers.ModelSerializer):
    patrol = serializers.IntegerField(source="check_result.patrol_id", read_only=True)
    item = serializers.IntegerField(source="check_result.item_id", read_only=True)
    text = serializers.CharField(source="check_result.item.text", read_only=True)
    finding = serializers.CharField(source="check_result.note", read_only=True)
    owner_name = serializers.CharField(source="owner.display_name", read_only=True)

    class Meta:
        model = Rectification
        fields = [
            "id",
            "hall",
            "patrol",
            "item",
            "text",
            "finding",
            "owner",
            "owner_name",
            "status",
            "due_at",
            "done_at",
            "done_note",
            "verified_at",
            "verified_by",
            "verify_note",
            "reopened",
            "created_at",
        ]


class RectificationFilter(serializers.Serializer):
    scope = serializers.ChoiceField(choices=["mine", "all"], required=False, default="mine")


def _rectifications():
    return Rectification.objects.select_related("owner", "check_result__item", "check_result__patrol")


class RectificationListApi(HallFilteredListApi):
    """The user's rectifications; `?scope=all` gives a manager the hall's."""

    serializer_class = RectificationOutput
    permission_classes = [HasRole.of(*policies.RECTIFICATION_ROLES)]

    def base_queryset(self):
        found = _rectifications().order_by("status", "due_at", "id")
        if getattr(self, "swagger_fake_view", False):
            return found
        scope = self.filters(RectificationFilter)["scope"]
        if not (scope == "all" and policies.is_manager(self.request.user)):
            found = found.filter(owner=self.request.user)
        return found


class DoneInput(serializers.Serializer):
    note = serializers.CharField(max_length=NOTE_MAX)
    photo = PhotoField(required=False, allow_null=True, default=None)


class VerifyInput(serializers.Serializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")


def _rectification_action(service, input_serializer):
    class ActionApi(APIView):
        permission_classes = [HasRole.of(*policies.RECTIFICATION_ROLES)]

        @extend_schema(request=input_serializer, responses=RectificationOutput)
        def post(self, request, pk: int):
            rectification = get_in_hall(_rectifications(), request.user, pk=pk)
            data = input_serializer(data=request.data)
            data.is_valid(raise_exception=True)
            rectification = service(rectification=rectification, actor=request.user, **data.validated_data)
            return Response(RectificationOutput(_rectifications().get(pk=rectification.pk)).data)

    ActionApi.__name__ = f"Rectification{service.__name__.split('_', 1)[1].title()}Api"
    return ActionApi


RectificationDoneApi = _rectification_action(services.rectification_done, DoneInput)
RectificationVerifyApi = _rectification_action(services.rectification_verify, VerifyInput)
