"""Patrol templates over the API: the hall's list, a new one, one read and edited (PATCH)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from hall.apis import HallFilteredListApi, IdField, KeptHallField, check_hall, refused
from hall.permissions import HasRole, get_in_hall
from patrols import policies, selectors, services
from patrols.models import Category, PatrolTemplate, TemplateItem


class TemplateItemIO(serializers.ModelSerializer):
    category = serializers.ChoiceField(choices=Category.choices)
    points = serializers.IntegerField(min_value=1, max_value=services.MAX_POINTS, default=1)
    names_staff = serializers.BooleanField(
        required=False, help_text="The patrol names the staff member when it fails; by default a staff item does."
    )

    class Meta:
        model = TemplateItem
        fields = ["id", "category", "text", "standard", "points", "names_staff", "order"]
        read_only_fields = ["id", "order"]


class TemplateOutput(serializers.ModelSerializer):
    items = TemplateItemIO(many=True, read_only=True, source="current_items")

    class Meta:
        model = PatrolTemplate
        fields = ["id", "hall", "name", "is_active", "items"]


def _max_items(items):
    if len(items) > services.MAX_ITEMS:
        raise serializers.ValidationError(_("A template has at most %(count)s items.") % {"count": services.MAX_ITEMS})
    return items


class TemplateInput(serializers.Serializer):
    hall = KeptHallField()
    name = serializers.CharField(max_length=services.NAME_MAX)
    items = TemplateItemIO(many=True, allow_empty=False)

    def validate_items(self, items):
        return _max_items(items)


class TemplateCollectionApi(HallFilteredListApi):
    """GET the hall's active patrol templates; POST a new one (the hall manager)."""

    serializer_class = TemplateOutput

    def get_permissions(self):
        roles = policies.TEMPLATE_ROLES if self.request.method == "POST" else policies.PATROL_ROLES
        return [HasRole.of(*roles)()]

    def base_queryset(self):
        return selectors.with_current_items(PatrolTemplate.objects.filter(is_active=True)).order_by("name")

    @extend_schema(request=TemplateInput, responses={201: TemplateOutput})
    def post(self, request):
        data = TemplateInput(data=request.data)
        data.is_valid(raise_exception=True)
        hall = check_hall(request, data.validated_data["hall"])
        template = services.template_create(
            hall=hall, name=data.validated_data["name"], items=data.validated_data["items"], actor=request.user
        )
        return Response(TemplateOutput(template).data, status=status.HTTP_201_CREATED)


class TemplateItemEditInput(serializers.Serializer):
    """An item of the new checklist: with the `id` of one of the template's items to keep it (the fields left out
    stay as they are), without one a new item (category and text needed)."""

    id = IdField(required=False)
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    text = serializers.CharField(max_length=services.TEXT_MAX, required=False)
    standard = serializers.CharField(max_length=services.STANDARD_MAX, required=False, allow_blank=True)
    points = serializers.IntegerField(min_value=1, max_value=services.MAX_POINTS, required=False)
    names_staff = serializers.BooleanField(required=False)
    order = serializers.IntegerField(
        min_value=0,
        max_value=10_000,
        required=False,
        help_text="Where the item goes; by default its place in the list.",
    )

    def validate(self, data):
        if "id" not in data:
            missing = {key: [_("A new item needs this field.")] for key in ("category", "text") if key not in data}
            if missing:
                raise serializers.ValidationError(missing)
        return data


class TemplateUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=services.NAME_MAX, required=False)
    is_active = serializers.BooleanField(required=False)
    items = TemplateItemEditInput(many=True, allow_empty=False, required=False)

    def validate_items(self, items):
        _max_items(items)
        # Sorted by `order` where given, else by their place; equal ones keep their place.
        places = sorted(enumerate(items, start=1), key=lambda pair: (pair[1].get("order", pair[0]), pair[0]))
        return [item for _place, item in places]

    def validate(self, data):
        unknown = {key: [_("This field cannot be changed.")] for key in self.initial_data if key not in self.fields}
        if unknown:
            raise serializers.ValidationError(unknown)
        return data


class TemplateDetailApi(APIView):
    """GET a patrol template with its items; PATCH renames it, activates or deactivates it, or replaces its items
    (the hall manager). Items changed or left out are retired: the patrols already walked keep theirs."""

    def get_permissions(self):
        roles = policies.TEMPLATE_ROLES if self.request.method == "PATCH" else policies.PATROL_ROLES
        return [HasRole.of(*roles)()]

    def _template(self, request, pk: int) -> PatrolTemplate:
        return get_in_hall(selectors.with_current_items(PatrolTemplate.objects.all()), request.user, pk=pk)

    @extend_schema(responses=TemplateOutput)
    def get(self, request, pk: int):
        return Response(TemplateOutput(self._template(request, pk)).data)

    @extend_schema(
        request=TemplateUpdateInput,
        responses={200: TemplateOutput, 403: refused("Only the hall manager edits the patrol templates.")},
    )
    def patch(self, request, pk: int):
        template = self._template(request, pk)
        data = TemplateUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.template_update(template=template, actor=request.user, **data.validated_data)
        return Response(TemplateOutput(self._template(request, pk)).data)
