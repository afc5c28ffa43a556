"""The case files' URLs: cases, notes, citations, sheets, the cite page, the JSON API."""

from django.urls import path

from casefiles import cite_views, views

app_name = "casefiles"

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/notes/", views.note_add, name="note_add"),
    path("cases/<int:pk>/notes/<int:note_id>/edit/", views.note_edit, name="note_edit"),
    path(
        "cases/<int:pk>/notes/<int:note_id>/versions/",
        views.note_versions,
        name="note_versions",
    ),
    path(
        "cases/<int:pk>/citations/<int:citation_id>/remove/",
        cite_views.citation_remove,
        name="citation_remove",
    ),
    path(
        "cases/<int:pk>/citations/<int:citation_id>/restore/",
        cite_views.citation_restore,
        name="citation_restore",
    ),
    path("cases/<int:pk>/sheet/", views.sheet, name="sheet"),
    path("cases/<int:pk>/sheet/text/", views.sheet_text, name="sheet_text"),
    path("cite/", cite_views.cite, name="cite"),
    path("api/cases", views.api_case_list, name="api_case_list"),
    path("api/cases/<int:pk>", views.api_case, name="api_case"),
]
