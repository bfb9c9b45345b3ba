from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Bokmål unless the user has chosen another language in the footer (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many Norwegian
    municipal PCs are set up in English: the product speaks Bokmål first."""

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
