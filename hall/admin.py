from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hall.calendar import year_is_known
from hall.forms import AdminSignInForm
from hall.logins import login_unlock
from hall.models import (
    CalendarDay,
    Customer,
    Hall,
    Notification,
    SlaClock,
    SlaPolicy,
    TimelineEvent,
    User,
)

# The admin's own sign-in page says so when a username or an address is locked out, like the hall's.
admin.site.login_form = AdminSignInForm


class HallScopedAdmin(admin.ModelAdmin):
    """Staff with admin access see their own hall's rows only."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(hall_id=request.user.hall_id)


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
    list_filter = ["hall", "groups", "is_active", "is_staff"]
    search_fields = ["username", "name", "email"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["name", "employee_number", "email", "hall", "skills"]}),
        (_("Roles and permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["username", "name", "hall", "password1", "password2"]})]
    actions = ["unlock_login"]

    @admin.action(description=_("Unlock sign-in after too many wrong passwords"))
    def unlock_login(self, request, queryset):
        for user in queryset:
            login_unlock(username=user.username)
        self.message_user(request, _("They can sign in again now."), messages.SUCCESS)

    @admin.display(description=_("roles"))
    def roles_display(self, user):
        return ", ".join(user.roles)

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


@admin.register(SlaClock)
class SlaClockAdmin(ReadOnlyAdmin):
    list_display = ["label", "name", "hall", "responsible", "started_at", "due_at", "level", "stopped_at"]
    list_filter = ["hall", "name", "level"]
    search_fields = ["label"]
    date_hierarchy = "due_at"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "channel", "kind", "subject", "sent_at", "read_at", "attempts"]
    list_filter = ["hall", "channel", "kind"]
    search_fields = ["subject", "recipient__username"]
