"""The library's URLs: the bilag pages, the admins' forms, topic tags, the JSON API."""

from django.urls import path

from library import job_views, upload_views, views
from library.search import views as search_views
from library.topics import views as topic_views

app_name = "library"

urlpatterns = [
    path("bilag/", views.bilag_list_view, name="bilag_list"),
    path("bilag/upload/", upload_views.bilag_upload, name="bilag_upload"),
    path("bilag/upload/waiting/", upload_views.upload_waiting, name="upload_waiting"),
    path(
        "bilag/upload/waiting/<str:token>/",
        upload_views.upload_complete,
        name="upload_complete",
    ),
    path(
        "bilag/upload/waiting/<str:token>/discard/",
        upload_views.upload_discard,
        name="upload_discard",
    ),
    path("bilag/upload/jobs/<int:job_id>/", job_views.upload_job, name="upload_job"),
    path(
        "bilag/upload/jobs/<int:job_id>/status/",
        job_views.upload_job_status,
        name="upload_job_status",
    ),
    path(
        "bilag/upload/jobs/<int:job_id>/retry/",
        job_views.upload_job_retry,
        name="upload_job_retry",
    ),
    path("bilag/<int:number>/", views.bilag_detail, name="bilag_detail"),
    path("bilag/<int:number>/original/", views.bilag_original, name="bilag_original"),
    path("bilag/<int:number>/edit/", views.bilag_edit, name="bilag_edit"),
    path("bilag/<int:number>/withdraw/", views.bilag_withdraw_view, name="bilag_withdraw"),
    path(
        "bilag/<int:number>/passages/<int:ordinal>/topics/",
        topic_views.tag_add_view,
        name="tag_add",
    ),
    path("topic-tags/<int:tag_id>/decide/", topic_views.tag_decide_view, name="tag_decide"),
    path("topics/review/", topic_views.review_queue, name="topic_review"),
    path("topics/review/confirm/", topic_views.review_confirm_page, name="topic_review_confirm"),
    path("api/bilag/<int:number>", views.api_bilag, name="api_bilag"),
    path("api/search", search_views.api_search, name="api_search"),
]
