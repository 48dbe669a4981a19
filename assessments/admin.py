"""Everything is read-only here: the rules are set on the rules page (/assessments/rules/) or the API, both through
services.rules_set and its bounds; sheets, their lines and appeals have no free score or line."""

from django.contrib import admin

from assessments.models import Appeal, AssessmentRule, ClosedMonth, Sheet, SheetLine


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssessmentRule)
class AssessmentRuleAdmin(ReadOnlyAdmin):
    list_display = ["hall", "source", "kind", "points", "cap", "active"]
    list_filter = ["hall", "active"]


class SheetLineInline(admin.TabularInline):
    model = SheetLine
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Sheet)
class SheetAdmin(ReadOnlyAdmin):
    list_display = ["staff", "hall", "month", "status", "score"]
    list_filter = ["hall", "status"]
    inlines = [SheetLineInline]


@admin.register(SheetLine)
class SheetLineAdmin(ReadOnlyAdmin):
    list_display = ["sheet", "source", "record", "points", "voided"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["sheet", "source", "status", "created_at", "decided_at"]


@admin.register(ClosedMonth)
class ClosedMonthAdmin(ReadOnlyAdmin):
    list_display = ["hall", "month", "closed_at", "closed_by"]
