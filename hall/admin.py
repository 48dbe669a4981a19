from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_celery_beat.admin import PeriodicTaskAdmin
from django_celery_beat.models import PeriodicTask

from hall.calendar import year_is_known
from hall.forms import AdminSignInForm
from hall.logins import login_unlock
from hall.models import (
    CalendarDay,
    Customer,
    Hall,
    Notification,
    Role,
    SlaClock,
    SlaPolicy,
    TimelineEvent,
    User,
)
from hall.notifications import notifications_send_again
from hall.services import MISSING_YEAR_KIND

# The admin's own sign-in page says so when a username or an address is locked out, like the hall's.
admin.site.login_form = AdminSignInForm


class HallScopedAdmin(admin.ModelAdmin):
    """Staff with admin access see their own hall's rows only."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(hall_id=request.user.hall_id)


def role_name(code: str) -> str:
    """A role group's name in the reader's language; the group's stored name is the role's code."""
    return str(Role(code).label) if code in Role.values else code


class RoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        return queryset.filter(groups__name=self.value()) if self.value() else queryset


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(BaseGroupAdmin):
    list_display = ["role"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A group is a role: its page is titled with the role's name, not the group's stored one ("clerk").
        group = self.get_object(request, object_id)
        title = role_name(group.name) if group else None
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "title": title, "subtitle": title}
        )

    @admin.display(description=_("role"), ordering="name")
    def role(self, group):
        return role_name(group.name)


class SlaPolicyInline(admin.TabularInline):
    model = SlaPolicy
    extra = 0
    fields = ["key", "amount", "unit", "urgent_percent"]


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "address", "timezone", "priority_streak_limit"]
    search_fields = ["code", "name"]
    inlines = [SlaPolicyInline]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(HallScopedAdmin):
    list_display = ["key", "hall", "amount", "unit", "urgent_percent"]
    list_filter = ["hall", "unit"]
    list_editable = ["amount", "unit", "urgent_percent"]
    search_fields = ["key"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"

    def changelist_view(self, request, extra_context=None):
        today = timezone.localdate()
        for year in (today.year, today.year + 1):
            if not year_is_known(year):
                self.message_user(
                    request,
                    _(
                        "No public holidays or make-up workdays are entered for %(year)s: deadlines in that year "
                        "count Monday to Friday as working days. Add the year's days here once they are published."
                    )
                    % {"year": year},
                    messages.WARNING,
                )
        return super().changelist_view(request, extra_context)


@admin.register(Customer)
class CustomerAdmin(HallScopedAdmin):
    list_display = [
        "name",
        "account_number",
        "phone",
        "hall",
        "key_customer",
        "elderly_alone",
        "disabled",
        "blacklisted",
    ]
    list_filter = ["hall", "key_customer", "elderly_alone", "disabled", "blacklisted"]
    search_fields = ["name", "account_number", "phone", "address"]
    fieldsets = [
        (None, {"fields": ["hall", "account_number", "name", "phone", "address"]}),
        (_("Flags"), {"fields": ["key_customer", "elderly_alone", "disabled", "blacklisted", "blacklist_reason"]}),
    ]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "name", "hall", "roles_display", "is_active", "is_staff"]
    list_filter = ["hall", RoleFilter, "is_active", "is_staff"]
    search_fields = ["username", "name", "email"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["name", "employee_number", "mobile", "email", "hall", "skills"]}),
        (_("Roles and permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "areas"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["username", "name", "hall", "password1", "password2"]})]
    filter_horizontal = ["groups", "user_permissions", "areas"]
    actions = ["unlock_login"]

    @admin.action(description=_("Unlock sign-in after too many wrong passwords"))
    def unlock_login(self, request, queryset):
        for user in queryset:
            login_unlock(username=user.username)
        self.message_user(request, _("They can sign in again now."), messages.SUCCESS)

    @admin.display(description=_("roles"))
    def roles_display(self, user):
        return "、".join(role_name(code) for code in user.roles)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups":
            field.label_from_instance = lambda group: role_name(group.name)
        return field

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("hall").prefetch_related("groups")


class ReadOnlyAdmin(HallScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TimelineEvent)
class TimelineEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "content_type", "object_id", "action", "from_status", "to_status", "actor"]
    list_filter = ["hall", "content_type", "action"]
    date_hierarchy = "at"


# What each workflow's clocks promise, for the admin's list and filter (the clocks store a short name).
CLOCK_NAMES = {
    "respond": _("on site in time"),
    "callback": _("callback in time"),
    "first_contact": _("first contact"),
    "progress": _("progress report"),
    "result": _("result"),
    "follow_up": _("follow-up"),
    "done": _("duty done in time"),
    "acknowledge": _("handover acknowledged in time"),
}


class ClockNameFilter(admin.SimpleListFilter):
    title = _("clock")
    parameter_name = "name"

    def lookups(self, request, model_admin):
        return list(CLOCK_NAMES.items())

    def queryset(self, request, queryset):
        return queryset.filter(name=self.value()) if self.value() else queryset


@admin.register(SlaClock)
class SlaClockAdmin(ReadOnlyAdmin):
    list_display = ["what", "clock", "hall", "responsible", "started_at", "due_at", "level", "stopped_at"]
    list_filter = ["hall", ClockNameFilter, "level"]

    @admin.display(description=_("what"), ordering="label")
    def what(self, clock):
        return clock.what

    @admin.display(description=_("clock"), ordering="name")
    def clock(self, clock):
        return CLOCK_NAMES.get(clock.name, clock.name)

    search_fields = ["label"]
    date_hierarchy = "due_at"


# What each kind of notice is, for the admin's list and filter.
NOTIFICATION_KINDS = {
    "sla_warned_half": _("Half the time used"),
    "sla_warned_three_quarters": _("Three quarters of the time used"),
    "sla_breached": _("Deadline passed"),
    "sla_escalated": _("Escalated to the hall manager"),
    "ticket_transferred": _("Ticket transferred"),
    "repair_urgent": _("Urgent repair"),
    "repair_dispatched": _("Repair dispatched"),
    "repair_reopened": _("Repair reopened"),
    "complaint_received": _("Complaint received"),
    "complaint_reopened": _("Complaint reopened"),
    "complaint_handed_over": _("Complaint handed over"),
    "leave_approved": _("Leave approved"),
    "leave_rejected": _("Leave rejected"),
    "leave_cancelled": _("Leave cancelled"),
    "shift_changed": _("Shift changed"),
    "duty_manager_cleared": _("Duty manager removed"),
    "calendar_feed_rotated": _("Calendar link renewed"),
    "duty_uncover": _("Chore cover withdrawn"),
    "duty_cover": _("Chore covered"),
    "handover": _("Handover"),
    MISSING_YEAR_KIND: _("Holidays of a year missing"),
}


class NotificationKindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return list(NOTIFICATION_KINDS.items())

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


# Where an outbox row stands: sent, still to be sent (perhaps waiting for its next attempt), or given up.
DELIVERY = {
    "failed": (_("Failed"), Q(failed_at__isnull=False)),
    "waiting": (_("Waiting to be sent"), Q(sent_at__isnull=True, failed_at__isnull=True)),
    "sent": (_("Sent"), Q(sent_at__isnull=False)),
}


class DeliveryFilter(admin.SimpleListFilter):
    title = _("delivery")
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _condition) in DELIVERY.items()]

    def queryset(self, request, queryset):
        return queryset.filter(DELIVERY[self.value()][1]) if self.value() in DELIVERY else queryset


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "recipient",
        "channel",
        "kind_name",
        "subject",
        "delivery",
        "sent_at",
        "read_at",
        "attempts",
        "last_error",
    ]
    list_filter = [DeliveryFilter, "hall", "channel", NotificationKindFilter]
    search_fields = ["subject", "recipient__username"]
    actions = ["send_again"]

    @admin.display(description=_("kind"), ordering="kind")
    def kind_name(self, notification):
        return NOTIFICATION_KINDS.get(notification.kind, notification.kind)

    @admin.display(description=_("delivery"))
    def delivery(self, notification):
        if notification.failed_at:
            return DELIVERY["failed"][0]
        return DELIVERY["waiting" if notification.sent_at is None else "sent"][0]

    @admin.action(description=_("Send the failed ones again"))
    def send_again(self, request, queryset):
        count = notifications_send_again(rows=queryset)
        self.message_user(request, _("%(count)d will be sent again.") % {"count": count}, messages.SUCCESS)


class TaskNameFilter(admin.AllValuesFieldListFilter):
    """Celery's schedules label their task field "Task Name" without a translation."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = _("task")


class ScheduledTaskAdmin(PeriodicTaskAdmin):
    list_filter = [("task", TaskNameFilter) if name == "task" else name for name in PeriodicTaskAdmin.list_filter]


admin.site.unregister(PeriodicTask)
admin.site.register(PeriodicTask, ScheduledTaskAdmin)
