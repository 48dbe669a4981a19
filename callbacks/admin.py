from django.contrib import admin

from callbacks.models import CallbackSettings


@admin.register(CallbackSettings)
class CallbackSettingsAdmin(admin.ModelAdmin):
    list_display = ["hall", "share_percent", "min_per_clerk", "quiet_days"]
