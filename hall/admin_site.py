"""The admin's index lists the hall's own records first; the libraries' (e.g. Celery's schedules) follow."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _

PROJECT_APPS = ["hall", "tickets", "repairs", "complaints", "staff", "reports", "auth"]


class HallAdminSite(admin.AdminSite):
    site_header = _("Service Hall administration")
    site_title = _("Service Hall")
    index_title = _("Records of the hall")

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        order = {label: place for place, label in enumerate(PROJECT_APPS)}
        return sorted(apps, key=lambda app: order.get(app["app_label"], len(order)))


class HallAdminConfig(AdminConfig):
    default_site = "hall.admin_site.HallAdminSite"
