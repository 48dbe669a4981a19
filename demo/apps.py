from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo halls, people and rosters (`manage.py seed_demo`): it reads every app and nothing reads it."""

    name = "demo"
