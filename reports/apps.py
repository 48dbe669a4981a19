from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        import reports.sources  # noqa: F401  (registers each area's parts and figures)
        import reports.tasks  # noqa: F401  (registers the roll-up tasks beat sends by name, in every process)
