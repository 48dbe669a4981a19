import math
import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from hall.logins import lockout_message, login_lockout
from hall.models import Hall, Notification, NotificationChannel, User
from hall.notifications import details, headline, notification_mark_all_read, notification_mark_read
from hall.permissions import HasRole, can_see_hall, ensure_hall, get_in_hall, phone_for, scope_to_hall, visible_halls
from hall.ratelimit import client_address, rate_hit
from hall.selectors import kept_hall
from hall.timeline import timeline_for
from hall.uploads import IMAGE_TYPES, validate_evidence

MAX_ID = 2**63 - 1


class TokenApi(ObtainAuthToken):
    """POST {username, password} → {token}."""

    @extend_schema(
        responses={
            200: AuthTokenSerializer,
            429: OpenApiResponse(
                description="Too many wrong passwords for this username or from this address: "
                '{detail, code: "login_locked"}, with Retry-After in seconds.',
            ),
        }
    )
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            username = request.data.get("username") if isinstance(request.data, Mapping) else None
            lockout = login_lockout(request, username)
            if lockout is None:
                raise
        body = {"detail": lockout_message(lockout), "code": "login_locked"}
        return Response(body, status=429, headers={"Retry-After": str(math.ceil(lockout.seconds))})


ID_DIGITS = re.compile(r"[0-9]{1,30}")


def whole_id(data) -> int | None:
    """The id a request names: a JSON whole number or a string of digits; None for anything else (1.5, 1.0, "1e3",
    true), which int() would quietly round or read as a number."""
    if isinstance(data, int) and not isinstance(data, bool):
        return data
    if isinstance(data, str) and ID_DIGITS.fullmatch(data):
        return int(data)
    return None


class IdField(serializers.IntegerField):
    """A record's id in a request: a whole number (hall.apis.whole_id) from 1 to MAX_ID."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)

    def to_internal_value(self, data):
        if whole_id(data) is None:
            self.fail("invalid")
        return super().to_internal_value(data)


class KeptHallField(serializers.PrimaryKeyRelatedField):
    """A hall id (a whole number, hall.apis.whole_id), looked up in the copy of the halls this process keeps
    (hall.selectors.kept_hall)."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Hall.objects.all(), **kwargs)

    def to_internal_value(self, data):
        pk = whole_id(data)
        if pk is None:
            self.fail("incorrect_type", data_type=type(data).__name__)
        hall = kept_hall(pk) if 0 < pk <= MAX_ID else None
        if hall is None:
            self.fail("does_not_exist", pk_value=data)
        return hall


# Serializer docstrings become the API's schema descriptions (drf-spectacular reads them, inherited too): the
# base below explains itself in a comment.


class RecordOutput(serializers.ModelSerializer):
    # The output of a record that actions answer with one at a time (a ticket, a repair, a complaint): the helpers
    # their fields share.

    def absolute(self, path: str) -> str:
        return absolute(self.context, path)

    def get_phone(self, record) -> str:
        """The customer's phone as the user may see it; none without a login."""
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return ""
        return phone_for(request.user, record.phone)

    def get_sla_state(self, record) -> str:
        return getattr(record, "sla_state", "")


def action_api(service, output, respond, roles, input_serializer=None, *, queryset=None, record="", responses=None):
    """One API view per action: POST /api/<resource>/<id>/<action>/ → the updated record, as `respond` answers.
    `record` is the service's keyword for it and the input's context key, by default the model's name;
    `responses` the schema's answers when they are more than the output."""
    model = output.Meta.model
    queryset = model.objects.all() if queryset is None else queryset
    record = record or model._meta.model_name

    class ActionApi(APIView):
        permission_classes = [HasRole.of(*roles)]

        @extend_schema(request=input_serializer, responses=responses or output)
        def post(self, request, pk: int):
            instance = get_in_hall(queryset, request.user, pk=pk)
            kwargs = {}
            if input_serializer is not None:
                data = input_serializer(data=request.data, context={"request": request, record: instance})
                data.is_valid(raise_exception=True)
                kwargs = data.validated_data
            instance = service(**{record: instance}, actor=request.user, **kwargs)
            return respond(request, instance.pk)

    verb = service.__name__.split("_", 1)[1].title().replace("_", "")
    ActionApi.__name__ = f"{model.__name__}{verb}Api"
    return ActionApi


def timeline_api(model, roles):
    class TimelineApi(APIView):
        permission_classes = [HasRole.of(*roles)]

        @extend_schema(responses=TimelineEventOutput(many=True))
        def get(self, request, pk: int):
            record = get_in_hall(model.objects.all(), request.user, pk=pk)
            return Response(TimelineEventOutput(timeline_for(record), many=True).data)

    TimelineApi.__name__ = f"{model.__name__}TimelineApi"
    return TimelineApi


def absolute(context: dict, path: str) -> str:
    """The path as a whole address when the serializer answers a request, as it is otherwise."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


class PublicThrottle(AnonRateThrottle):
    """PUBLIC_THROTTLE_RATE per client address for requests without a login, counted by hall.ratelimit."""

    scope = "public"

    def allow_request(self, request, view):
        if self.rate is None or (request.user and request.user.is_authenticated):
            return True
        self.retry_after = rate_hit(self.scope, self.get_ident(request), limit=self.num_requests, seconds=self.duration)
        return self.retry_after is None

    def get_ident(self, request):
        return client_address(request)

    def wait(self):
        return self.retry_after


class RefusalOutput(serializers.Serializer):
    """Why the user may not take this step: {detail, code: "permission_denied"}."""

    detail = serializers.CharField()
    code = serializers.CharField()


NOT_FOUND = "No such record in the user's hall: another hall's answers the same."


def with_not_found_answers(result, generator, request, public):
    """Schema post-processing: every operation on one record (a path with a parameter) lists its 404, the same for
    a missing record and for another hall's."""
    answer = {
        "description": NOT_FOUND,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NotFoundOutput"}}},
    }
    for path, operations in result.get("paths", {}).items():
        if "{" in path:
            for operation in operations.values():
                operation.setdefault("responses", {}).setdefault("404", answer)
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        "NotFoundOutput",
        {
            "type": "object",
            "description": "No such record: {detail}.",
            "properties": {"detail": {"type": "string"}},
            "required": ["detail"],
        },
    )
    return result


def refused(description: str) -> OpenApiResponse:
    """A 403 answer of the schema: who may take the step instead."""
    return OpenApiResponse(RefusalOutput, description=description)


class UserOutput(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")
    roles = serializers.ListField(child=serializers.CharField())
    skills = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name", "employee_number", "hall", "roles", "skills"]


class MeApi(APIView):
    @extend_schema(responses=UserOutput)
    def get(self, request):
        return Response(UserOutput(request.user).data)


class HallOutput(serializers.ModelSerializer):
    class Meta:
        model = Hall
        fields = ["id", "code", "name", "address", "timezone", "priority_streak_limit", "created_at"]


class HallListApi(ListAPIView):
    serializer_class = HallOutput

    def get_queryset(self):
        return visible_halls(self.request.user)


class HallDetailApi(APIView):
    @extend_schema(responses=HallOutput)
    def get(self, request, pk: int):
        hall = get_object_or_404(Hall, pk=pk)
        if not can_see_hall(request.user, hall.pk):  # the halls of GET /api/halls/, an area manager's too
            raise Http404
        return Response(HallOutput(hall).data)


def hall_for(request, pk) -> Hall:
    """The hall; 404 when it is unknown or not the user's."""
    return check_hall(request, get_object_or_404(Hall, pk=pk))


def check_hall(request, hall: Hall) -> Hall:
    """404 when the hall is not the user's (hall.permissions.ensure_hall): the hall a step or a list is in."""
    ensure_hall(request.user, hall.pk)
    return hall


class HallFilteredListApi(ListAPIView):
    """A list scoped to the user's hall; `?hall=` narrows it and answers 404 for another hall."""

    hall_field = "hall"

    def get_queryset(self):
        queryset = scope_to_hall(self.base_queryset(), self.request.user, self.hall_field)
        hall = self.request.query_params.get("hall")
        if hall:
            if not hall.isdecimal():
                raise ValidationError({"hall": [_("A hall id is a whole number.")]})
            hall_for(self.request, int(hall))
            queryset = queryset.filter(**{f"{self.hall_field}_id": int(hall)})
        return queryset

    def base_queryset(self):
        raise NotImplementedError

    def filters(self, filter_serializer) -> dict:
        found = filter_serializer(data=self.request.query_params)
        found.is_valid(raise_exception=True)
        return found.validated_data


class StaffListApi(HallFilteredListApi):
    serializer_class = UserOutput

    def base_queryset(self):
        return User.objects.filter(is_active=True).prefetch_related("groups").order_by("username")


class EvidenceFilesField(serializers.ListField):
    """One or several uploaded files (repair photos, complaint evidence), each checked by its content, never its
    name, and at most `max_files`. Errors come as one flat list of messages, like every other field's."""

    child = serializers.FileField()

    def __init__(self, *, allowed=IMAGE_TYPES, max_files: int, **kwargs):
        self.allowed, self.max_files = allowed, max_files
        super().__init__(**kwargs)

    def run_child_validation(self, data):
        try:
            return super().run_child_validation(data)
        except serializers.ValidationError as error:
            raise serializers.ValidationError(
                [str(m) for messages in error.detail.values() for m in messages]
            ) from None

    def to_internal_value(self, data):
        files = super().to_internal_value(data)
        if len(files) > self.max_files:
            raise serializers.ValidationError(_("At most %(count)s files at a time.") % {"count": self.max_files})
        errors = []
        for upload in files:
            try:
                validate_evidence(upload, allowed=self.allowed)
            except DjangoValidationError as error:
                errors += error.messages
        if errors:
            raise serializers.ValidationError(errors)
        return files


class TimelineEventOutput(serializers.Serializer):
    """One step of any record's timeline: `GET /api/<resource>/<id>/timeline/`."""

    at = serializers.DateTimeField()
    actor = serializers.IntegerField(source="actor_id", allow_null=True)
    actor_name = serializers.CharField(source="actor.display_name", default=None)
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    note = serializers.CharField()
    data = serializers.JSONField()


class NotificationOutput(serializers.ModelSerializer):
    text = serializers.SerializerMethodField(help_text="The headline in the reader's language.")
    details = serializers.SerializerMethodField(help_text="The body in the reader's language, or the note written.")

    class Meta:
        model = Notification
        fields = [
            "id",
            "hall",
            "kind",
            "subject",
            "body",
            "link",
            "channel",
            "created_at",
            "read_at",
            "text",
            "details",
            "params",
            "thread",
        ]

    def get_text(self, notification) -> str:
        return headline(notification)

    def get_details(self, notification) -> str:
        return details(notification)


class NotificationFilter(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False, help_text="Only the unread ones.")


class NotificationListApi(ListAPIView):
    """Mine, newest first; `?unread=true` for the unread ones. Rows of one `thread` are one record's SLA clock:
    the pages show only the latest of each."""

    serializer_class = NotificationOutput

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is built without a user
            return Notification.objects.none()
        found = NotificationFilter(data=self.request.query_params)
        found.is_valid(raise_exception=True)
        mine = Notification.objects.filter(recipient=self.request.user, channel=NotificationChannel.IN_APP)
        return mine.filter(read_at=None) if found.validated_data["unread"] else mine

    @extend_schema(parameters=[NotificationFilter])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class NotificationReadApi(APIView):
    @extend_schema(request=None, responses=NotificationOutput)
    def post(self, request, pk: int):
        notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
        return Response(NotificationOutput(notification_mark_read(notification=notification)).data)


class NotificationReadAllOutput(serializers.Serializer):
    read = serializers.IntegerField(help_text="How many were unread.")


class NotificationReadAllApi(APIView):
    """Marks all my notifications read."""

    @extend_schema(request=None, responses=NotificationReadAllOutput)
    def post(self, request):
        return Response({"read": notification_mark_all_read(recipient=request.user)})
