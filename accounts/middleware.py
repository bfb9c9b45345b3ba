from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import resolve_url
from django.utils import translation
from django_htmx.http import HttpResponseClientRedirect


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


class HtmxLoginRedirectMiddleware:
    """When a session has ended, an htmx request is redirected to the login page: send the whole
    browser there (HX-Redirect) instead of letting htmx swap the login form into a section."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            getattr(request, "htmx", False)
            and response.status_code == 302
            and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
        ):
            return HttpResponseClientRedirect(response["Location"])
        return response
