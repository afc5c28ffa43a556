"""The project's URLs: search at /, the library, the case files, login, the admin, /healthz."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.contenttypes.views import shortcut
from django.http import Http404
from django.urls import include, path
from django.views.i18n import set_language

from config.health import healthz
from library.search import views as search_views


def admin_shortcut(request, content_type_id, object_id):
    """The admin's "view on site" redirect, but never for case files.

    Django's own would redirect a staff user to /cases/<id>/ for any existing case id
    (and reveal which case a note belongs to); cases are only for their members.
    """
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.filter(pk=content_type_id).first()
    if content_type is None or content_type.app_label == "casefiles":
        raise Http404
    return shortcut(request, content_type_id, object_id)


accounts = [
    # Login, logout and password change only: there is no e-mail, so no password reset
    # (an admin sets a new password), and every other page needs a login.
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

urlpatterns = [
    path("", search_views.search, name="home"),
    path("", include("library.urls")),
    path("", include("casefiles.urls")),
    path("accounts/", include(accounts)),
    # The language switch works on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(admin_shortcut),
        name="admin_view_on_site",
    ),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]

handler500 = "config.logs.server_error"
