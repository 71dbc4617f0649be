from django.urls import path

from dobry.organizations import views

app_name = "organizations"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("new/", views.propose, name="propose"),
    path("review/", views.review_queue, name="review_queue"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/edit/", views.edit, name="edit"),
    path("<id:pk>/verify/", views.verify, name="verify"),
    path("<id:pk>/return/", views.return_for_changes, name="return"),
    path("<id:pk>/members/", views.members, name="members"),
    path(
        "<id:pk>/members/<id:membership_pk>/role/",
        views.membership_role,
        name="membership_role",
    ),
    path(
        "<id:pk>/members/<id:membership_pk>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    path(
        "<id:pk>/invitations/<id:invitation_pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
