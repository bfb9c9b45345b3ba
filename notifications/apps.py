from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The outbox: every e-mail the product sends is a row written in the transaction of the
    change it tells about, and sent from there by the worker (notifications.outbox)."""

    name = "notifications"
    verbose_name = _("Varsler og e-post")
