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
        # The rights the administrator grants (Django's own tables, without history): whether a
        # user may start projects is on the kept project list.
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed

        user_model = get_user_model()
        for through in (
            user_model.user_permissions.through,
            user_model.groups.through,
            Group.permissions.through,
        ):
            m2m_changed.connect(data_changed, sender=through, dispatch_uid=f"core.{through}")
