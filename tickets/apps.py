from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("Queue")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from hall.models import Hall
        from tickets.models import BusinessType
        from tickets.selectors import issuing_reference_changed

        for model in (Hall, BusinessType):
            post_save.connect(issuing_reference_changed, sender=model, dispatch_uid=f"issuing_{model.__name__}")
            post_delete.connect(issuing_reference_changed, sender=model, dispatch_uid=f"issuing_{model.__name__}")
