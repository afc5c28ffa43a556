from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

urlpatterns = [
    # The search page will live at "/" (search issue); until then "/" is the library.
    path("", RedirectView.as_view(pattern_name="library:bilag_list", permanent=False), name="home"),
    path("", include("library.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    # The language switch works on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
