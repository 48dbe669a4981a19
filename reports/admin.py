from django.contrib import admin

from hall.admin import HallScopedAdmin, ReadOnlyAdmin
from reports.models import MonthClose, Targets


@admin.register(Targets)
class TargetsAdmin(HallScopedAdmin):
    list_display = ["hall", "response_timeliness", "customer_satisfaction", "complaint_rate", "changed_by"]
    readonly_fields = ["changed_by"]

    def save_model(self, request, obj, form, change):
        obj.changed_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(MonthClose)
class MonthCloseAdmin(ReadOnlyAdmin):
    list_display = ["hall", "month", "closed_at", "closed_by"]
    list_filter = ["hall"]
    exclude = ["frozen"]
