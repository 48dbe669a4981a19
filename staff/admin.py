from django.contrib import admin

from hall.admin import HallScopedAdmin, ReadOnlyAdmin
from staff.models import Chore, Duty, Handover, Leave, Shift, ShiftTemplate


@admin.register(Chore)
class ChoreAdmin(HallScopedAdmin):
    """A and B are changed on the AB roles page, where the change is recorded; here only the rest."""

    list_display = ["name", "hall", "schedule_kind", "at", "weekday", "a", "b", "is_active"]
    list_filter = ["hall", "schedule_kind", "is_active"]
    search_fields = ["name"]
    readonly_fields = ["a", "b"]

    def has_add_permission(self, request):
        return False


@admin.register(ShiftTemplate)
class ShiftTemplateAdmin(HallScopedAdmin):
    list_display = ["name", "hall", "start", "end"]
    list_filter = ["hall"]


@admin.register(Shift)
class ShiftAdmin(ReadOnlyAdmin):
    list_display = ["date", "staff", "hall", "start", "end", "post"]
    list_filter = ["hall", "date"]
    search_fields = ["staff__username", "staff__name", "post"]
    date_hierarchy = "date"


@admin.register(Leave)
class LeaveAdmin(ReadOnlyAdmin):
    list_display = ["staff", "hall", "start", "end", "status", "decided_by"]
    list_filter = ["hall", "status"]
    date_hierarchy = "start"


@admin.register(Duty)
class DutyAdmin(ReadOnlyAdmin):
    list_display = ["date", "chore", "hall", "responsible", "role", "status", "done_by", "done_at"]
    list_filter = ["hall", "status", "role"]
    date_hierarchy = "date"


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdmin):
    list_display = ["shift_end", "hall", "author", "incoming", "status", "acknowledged_at"]
    list_filter = ["hall", "status"]
