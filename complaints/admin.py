from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint, ComplaintEvidence
from hall.admin import HallScopedAdmin


class EvidenceInline(admin.TabularInline):
    model = ComplaintEvidence
    extra = 0
    fields = ["evidence_file", "content_type", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description=_("file"))
    def evidence_file(self, item):
        # The storage's own URL is not served; the file goes out through the permission-checked page.
        return format_html(
            '<a href="{}">{}</a>', reverse("complaint-evidence", args=[item.complaint_id, item.pk]), item
        )


@admin.register(Complaint)
class ComplaintAdmin(HallScopedAdmin):
    """Read-mostly: the workflow's steps happen on the complaint desk, where they keep their clocks."""

    list_display = ["number", "hall", "customer_name", "category", "status", "owner", "urgent", "created_at"]
    list_filter = ["hall", "status", "category", "channel", "urgent"]
    search_fields = ["number", "customer_name", "phone"]
    date_hierarchy = "created_at"
    inlines = [EvidenceInline]

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Complaint._meta.fields]
