from django.urls import path

from dobry.grants import agreement_views, manage_views, views

app_name = "grants"

urlpatterns = [
    path("", views.competition_list, name="list"),
    path("new/", manage_views.competition_create, name="create"),
    path("mine/", views.my_applications, name="my_applications"),
    path("reviews/", views.my_reviews, name="my_reviews"),
    path("calendar/", agreement_views.work_calendar, name="work_calendar"),
    path(
        "calendar/days/<id:pk>/delete/",
        agreement_views.work_calendar_day_delete,
        name="work_calendar_day_delete",
    ),
    path("reviews/<id:pk>/", views.review, name="review"),
    path("reviews/<id:pk>/recuse/", views.review_recuse, name="review_recuse"),
    path("<id:pk>/", views.competition_detail, name="competition"),
    path("<id:pk>/apply/", views.apply, name="apply"),
    path("<id:pk>/results/", views.competition_results, name="results"),
    path("<id:pk>/results.csv", views.results_csv, name="results_csv"),
    path("<id:pk>/results.json", views.results_json, name="results_json"),
    path("<id:pk>/manage/", manage_views.manage, name="manage"),
    path("<id:pk>/edit/", manage_views.competition_edit, name="edit"),
    path("<id:pk>/publish/", manage_views.competition_publish, name="publish"),
    path("<id:pk>/criteria/new/", manage_views.criterion_edit, name="criterion_add"),
    path("<id:pk>/criteria/<id:criterion_pk>/", manage_views.criterion_edit, name="criterion_edit"),
    path(
        "<id:pk>/criteria/<id:criterion_pk>/delete/",
        manage_views.criterion_delete,
        name="criterion_delete",
    ),
    path("<id:pk>/experts/", manage_views.expert_add, name="expert_add"),
    path("<id:pk>/managers/", manage_views.manager_add, name="manager_add"),
    path(
        "<id:pk>/managers/<id:user_pk>/remove/",
        manage_views.manager_remove,
        name="manager_remove",
    ),
    path(
        "<id:pk>/experts/<id:expert_pk>/remove/",
        manage_views.expert_remove,
        name="expert_remove",
    ),
    path("<id:pk>/assign/", manage_views.assign, name="assign"),
    path("<id:pk>/ranking/", manage_views.ranking, name="ranking"),
    path("<id:pk>/allocation/", manage_views.allocation, name="allocation"),
    path("<id:pk>/commission/", manage_views.commission, name="commission"),
    path("<id:pk>/results/publish/", manage_views.results_publish, name="results_publish"),
    path("meetings/<id:pk>/decision/", manage_views.decide, name="decide"),
    path("meetings/<id:pk>/protocol.docx", manage_views.protocol, name="protocol"),
    path("meetings/<id:pk>/signed/", manage_views.protocol_upload, name="protocol_upload"),
    path("applications/<id:pk>/", views.application_detail, name="application"),
    path("applications/<id:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<id:pk>/attach/", views.application_attach, name="application_attach"),
    path("applications/<id:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<id:pk>/screening/", manage_views.screening, name="screening"),
    path("applications/<id:pk>/experts/", manage_views.review_assign, name="review_assign"),
    path("attachments/<id:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("assignments/<id:pk>/remove/", manage_views.review_unassign, name="review_unassign"),
    path("assignments/<id:pk>/due/", manage_views.review_reschedule, name="review_reschedule"),
]
