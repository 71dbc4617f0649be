from django.urls import path

from dobry.opportunities import views

app_name = "opportunities"

urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("archive/", views.opportunity_archive_list, name="archive"),
    path("cabinet/", views.applicant_cabinet, name="cabinet"),
    path("new/", views.opportunity_create, name="create"),
    path("import/", views.opportunity_import, name="import"),
    path("<id:pk>/", views.opportunity_detail, name="detail"),
    path("<id:pk>/edit/", views.opportunity_edit, name="edit"),
    path("<id:pk>/archive/", views.opportunity_archive, name="archive_toggle"),
    path("<id:pk>/follow/", views.opportunity_follow, name="follow"),
    path("<id:pk>/unfollow/", views.opportunity_unfollow, name="unfollow"),
]
