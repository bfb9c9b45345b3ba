from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data of `manage.py load_demo`, built from the seed documents through every app's
    services. The top layer: it imports every app, and no app imports it."""

    name = "demo"
    verbose_name = _("Demodata")
