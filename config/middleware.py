"""Request-wide middleware of Baggrund."""

import secrets

from django.conf import settings
from django.contrib.auth.middleware import (
    LoginRequiredMiddleware as BaseLoginRequiredMiddleware,
)
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers


class BoardLanguageMiddleware:
    """Danish unless the user chose another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a
    caseworker on an English-language browser would get English without asking. The
    board works in Danish: only the language cookie that the switch (set_language) sets
    changes that.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class LoginRequiredMiddleware(BaseLoginRequiredMiddleware):
    """Django's, except that every admin page sends to the admin's own login page.

    Django's sends the admin index to /admin/login/ but a model's admin pages
    (/admin/casefiles/auditentry/) to /accounts/login/: one login page per site part.
    """

    def handle_no_permission(self, request, view_func):
        if request.path.startswith(reverse("admin:index")):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        return super().handle_no_permission(request, view_func)


class ContentSecurityPolicyMiddleware:
    """A Content-Security-Policy on every response that has none of its own.

    Scripts and styles come from Baggrund's own static files only; the one inline
    block, the citation sheet's @page rules (they carry the case reference), is allowed
    by a nonce made for each request (`request.csp_nonce`). No frames, plugins, foreign
    forms or base URLs. A view that sets its own policy (the original file's `sandbox`)
    keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; "
            f"style-src 'self' 'nonce-{request.csp_nonce}'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        )
        return response
