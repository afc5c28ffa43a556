from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from library.search import views as search_views

urlpatterns = [
    path("", search_views.search, name="home"),
    path("", include("library.urls")),
    path("", include("casefiles.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    # The language switch works on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
