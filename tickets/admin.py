from django.contrib import admin

from hall.admin import HallScopedAdmin
from tickets.models import Rating, Ticket


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
