from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from hall.admin import HallAdmin as HallCoreAdmin
from hall.admin import HallScopedAdmin
from hall.models import Hall
from tickets.models import BusinessType, Counter, CounterService, Rating, Ticket


class BusinessTypeInline(admin.TabularInline):
    model = BusinessType
    extra = 0
    fields = [
        "code",
        "name",
        "name_en",
        "daily_quota",
        "default_service_minutes",
        "wait_target_minutes",
        "service_target_minutes",
        "sort_order",
        "is_active",
    ]


admin.site.unregister(Hall)


@admin.register(Hall)
class HallAdmin(HallCoreAdmin):
    """A hall's page also edits the business types its queue issues, above the core's SLA policies."""

    inlines = [BusinessTypeInline, *HallCoreAdmin.inlines]


@admin.register(BusinessType)
class BusinessTypeAdmin(HallScopedAdmin):
    list_display = [
        "code",
        "name",
        "hall",
        "daily_quota",
        "default_service_minutes",
        "wait_target_minutes",
        "service_target_minutes",
        "is_active",
    ]
    list_filter = ["hall", "is_active"]
    search_fields = ["code", "name"]
    list_editable = ["daily_quota", "is_active"]


class CounterServiceInline(admin.TabularInline):
    model = CounterService
    extra = 1
    autocomplete_fields = ["business_type"]


@admin.register(Counter)
class CounterAdmin(HallScopedAdmin):
    list_display = ["number", "name", "hall", "status", "clerk", "served_types"]
    list_filter = ["hall", "status"]
    search_fields = ["name", "number"]
    inlines = [CounterServiceInline]
    readonly_fields = ["status"]
    autocomplete_fields = ["clerk"]

    @admin.display(description=_("business types"))
    def served_types(self, counter):
        return " ".join(bt.code for bt in counter.business_types.all())

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("hall", "clerk").prefetch_related("business_types")


class RatingInline(admin.StackedInline):
    model = Rating
    extra = 0
    readonly_fields = ["score", "comment", "created_at"]
    can_delete = False


@admin.register(Ticket)
class TicketAdmin(HallScopedAdmin):
    list_display = ["number", "hall", "service_date", "business_type", "priority", "status", "counter", "issued_at"]
    list_filter = ["hall", "status", "priority", "business_type__code", "service_date"]
    search_fields = ["number", "phone"]
    date_hierarchy = "issued_at"
    readonly_fields = [f.name for f in Ticket._meta.fields]
    inlines = [RatingInline]

    def has_add_permission(self, request):
        return False
