from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Helpers every app uses and no domain: history outside a request, PDF documents, the
    product's own e-mail, forms and the small template tags. Imports none of the project's apps."""

    name = "core"
    verbose_name = _("Felles")
