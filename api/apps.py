from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The HTTP API for municipal IT (/api/v1/): Django REST framework over the same access
    helper, services and access log as the pages, authenticated by personal and service tokens.
    The top layer: it imports the apps, none imports it."""

    name = "api"
    verbose_name = _("API")
