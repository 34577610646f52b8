from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from contrechamp.accounts.models import User
from contrechamp.notifications import services

SESSION_KEY = "notifications:language"


class RememberLanguageMiddleware:
    """Remember the interface language of a signed-in member, to write their emails in it.

    It looks only at requests where the language is chosen or an action is taken (the
    language switch, signing in, any POST), and writes only when the language differs
    from the one this session last recorded: reading pages costs nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method != "POST":
            return response
        user = getattr(request, "user", None)
        if not isinstance(user, User) or not user.is_authenticated:
            return response
        cookie = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
        language = cookie.value if cookie is not None else getattr(request, "LANGUAGE_CODE", "")
        if language not in dict(settings.LANGUAGES):
            return response
        recorded = f"{user.pk}:{language}"
        if request.session.get(SESSION_KEY) != recorded:
            services.remember_language(member=user, language=language)
            request.session[SESSION_KEY] = recorded
        return response
