from django.contrib import admin

from feedback.models import Feedback, MysteryResult, MysteryVisit


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["hall", "kind", "customer_name", "staff", "created_at", "replied_at"]
    list_filter = ["hall", "kind"]
    readonly_fields = ["created_at", "reply_due", "replied_at", "replied_by", "taken_by"]


class MysteryResultInline(admin.TabularInline):
    model = MysteryResult
    extra = 0


@admin.register(MysteryVisit)
class MysteryVisitAdmin(admin.ModelAdmin):
    list_display = ["hall", "visited_at", "visitor", "template"]
    list_filter = ["hall"]
    inlines = [MysteryResultInline]
