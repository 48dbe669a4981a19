from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from hall.admin import HallScopedAdmin
from repairs.models import RepairOrder, RepairPhoto


class PhotoInline(admin.TabularInline):
    model = RepairPhoto
    extra = 0
    fields = ["photo", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("photo"))
    def photo(self, item):
        # The storage's own URL is not served; the file goes out through the permission-checked page.
        return format_html('<a href="{}">{}</a>', reverse("repair-photo", args=[item.repair_id, item.pk]), item)


@admin.register(RepairOrder)
class RepairOrderAdmin(HallScopedAdmin):
    """Read-mostly: the workflow's steps happen on the repair desk, where they keep their clocks."""

    list_display = ["number", "hall", "customer_name", "fault", "urgency", "status", "worker", "created_at"]
    list_filter = ["hall", "status", "fault", "urgency"]
    search_fields = ["number", "customer_name", "phone", "address"]
    date_hierarchy = "created_at"
    inlines = [PhotoInline]

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in RepairOrder._meta.fields]
