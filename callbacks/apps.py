from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallbacksConfig(AppConfig):
    name = "callbacks"
    verbose_name = _("Sampled callbacks")

    def ready(self):
        from assessments.facts import BONUS, register
        from callbacks.facts import callback_satisfaction

        register("callback_satisfaction", BONUS, callback_satisfaction, label=_("Callback satisfaction"))
