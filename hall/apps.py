from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallConfig(AppConfig):
    name = "hall"
    verbose_name = _("Service hall")

    def ready(self):
        from django.core import checks
        from django.db.models.signals import post_delete, post_save
        from django.urls import register_converter

        import hall.tasks  # noqa: F401  (registers the tasks the core sends by name, in every process)
        from hall.calendar import drop_cache
        from hall.converters import TokenConverter
        from hall.health import sweep_check
        from hall.models import CalendarDay, Hall, SlaPolicy
        from hall.selectors import halls_changed
        from hall.sla import policies_changed

        register_converter(TokenConverter, "token")
        checks.register(sweep_check, checks.Tags.database, deploy=True)

        post_save.connect(drop_cache, sender=CalendarDay, dispatch_uid="calendar_day_saved")
        post_delete.connect(drop_cache, sender=CalendarDay, dispatch_uid="calendar_day_deleted")
        post_save.connect(policies_changed, sender=SlaPolicy, dispatch_uid="sla_policy_saved")
        post_delete.connect(policies_changed, sender=SlaPolicy, dispatch_uid="sla_policy_deleted")
        post_save.connect(halls_changed, sender=Hall, dispatch_uid="hall_saved")
        post_delete.connect(halls_changed, sender=Hall, dispatch_uid="hall_deleted")
        post_save.connect(_new_hall, sender=Hall, dispatch_uid="hall_policies")


def _new_hall(sender, instance, created, raw=False, **kwargs):
    """A new hall starts with the default SLA policies as rows its managers can edit in the admin."""
    if created and not raw:
        from hall.sla import ensure_policies

        ensure_policies(instance)
