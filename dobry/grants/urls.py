from django.urls import path

from dobry.grants import manage_views, views

app_name = "grants"

urlpatterns = [
    path("", views.competition_list, name="list"),
    path("new/", manage_views.competition_create, name="create"),
    path("mine/", views.my_applications, name="my_applications"),
    path("reviews/", views.my_reviews, name="my_reviews"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("reviews/<int:pk>/recuse/", views.review_recuse, name="review_recuse"),
    path("<int:pk>/", views.competition_detail, name="competition"),
    path("<int:pk>/apply/", views.apply, name="apply"),
    path("<int:pk>/results/", views.competition_results, name="results"),
    path("<int:pk>/results.csv", views.results_csv, name="results_csv"),
    path("<int:pk>/results.json", views.results_json, name="results_json"),
    path("<int:pk>/manage/", manage_views.manage, name="manage"),
    path("<int:pk>/edit/", manage_views.competition_edit, name="edit"),
    path("<int:pk>/publish/", manage_views.competition_publish, name="publish"),
    path("<int:pk>/criteria/new/", manage_views.criterion_edit, name="criterion_add"),
    path(
        "<int:pk>/criteria/<int:criterion_pk>/", manage_views.criterion_edit, name="criterion_edit"
    ),
    path(
        "<int:pk>/criteria/<int:criterion_pk>/delete/",
        manage_views.criterion_delete,
        name="criterion_delete",
    ),
    path("<int:pk>/experts/", manage_views.expert_add, name="expert_add"),
    path("<int:pk>/managers/", manage_views.manager_add, name="manager_add"),
    path(
        "<int:pk>/managers/<int:user_pk>/remove/",
        manage_views.manager_remove,
        name="manager_remove",
    ),
    path(
        "<int:pk>/experts/<int:expert_pk>/remove/",
        manage_views.expert_remove,
        name="expert_remove",
    ),
    path("<int:pk>/assign/", manage_views.assign, name="assign"),
    path("<int:pk>/ranking/", manage_views.ranking, name="ranking"),
    path("<int:pk>/allocation/", manage_views.allocation, name="allocation"),
    path("<int:pk>/commission/", manage_views.commission, name="commission"),
    path("<int:pk>/results/publish/", manage_views.results_publish, name="results_publish"),
    path("meetings/<int:pk>/decision/", manage_views.decide, name="decide"),
    path("meetings/<int:pk>/protocol.docx", manage_views.protocol, name="protocol"),
    path("meetings/<int:pk>/signed/", manage_views.protocol_upload, name="protocol_upload"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/attach/", views.application_attach, name="application_attach"),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"
    ),
    path("applications/<int:pk>/screening/", manage_views.screening, name="screening"),
    path("applications/<int:pk>/experts/", manage_views.review_assign, name="review_assign"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("assignments/<int:pk>/remove/", manage_views.review_unassign, name="review_unassign"),
]
