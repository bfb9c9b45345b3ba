from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Helpers every app uses and no domain: history outside a request, PDF documents, the
    product's own e-mail, forms and the small template tags. Imports none of the project's apps."""

    name = "core"
    verbose_name = _("Felles")

    def ready(self):
        from simple_history.signals import (
            post_create_historical_m2m_records,
            post_create_historical_record,
        )

        from .cache import data_changed

        # Every write of domain data records history: the one place that sees them all moves
        # the data version on (core.cache).
        post_create_historical_record.connect(data_changed, dispatch_uid="core.data_changed")
        post_create_historical_m2m_records.connect(
            data_changed, dispatch_uid="core.data_changed_m2m"
        )
