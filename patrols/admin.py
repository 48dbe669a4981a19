from django.contrib import admin

from patrols.models import Patrol, PatrolTemplate, Rectification, TemplateItem


class TemplateItemInline(admin.TabularInline):
    """The current items, read only: they are edited on /patrol/templates/<id>/, which keeps the patrols' records
    (patrols.services.template_update)."""

    model = TemplateItem
    fields = readonly_fields = ["order", "category", "text", "standard", "points", "names_staff"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(retired_at__isnull=True)


@admin.register(PatrolTemplate)
class PatrolTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "hall", "is_active"]
    list_filter = ["hall"]
    inlines = [TemplateItemInline]


@admin.register(Patrol)
class PatrolAdmin(admin.ModelAdmin):
    list_display = ["started_at", "hall", "template", "author", "score", "max_score"]
    list_filter = ["hall"]
    readonly_fields = ["hall", "template", "author", "started_at", "finished_at", "score", "max_score"]


@admin.register(Rectification)
class RectificationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "hall", "owner", "status", "due_at"]
    list_filter = ["hall", "status"]
    readonly_fields = ["hall", "check_result", "owner", "status", "due_at", "done_at", "verified_at", "verified_by"]
