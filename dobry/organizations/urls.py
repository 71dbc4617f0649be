from django.urls import path

from dobry.organizations import views

app_name = "organizations"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("new/", views.propose, name="propose"),
    path("review/", views.review_queue, name="review_queue"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/verify/", views.verify, name="verify"),
    path("<int:pk>/return/", views.return_for_changes, name="return"),
    path("<int:pk>/members/", views.members, name="members"),
    path(
        "<int:pk>/members/<int:membership_pk>/role/",
        views.membership_role,
        name="membership_role",
    ),
    path(
        "<int:pk>/members/<int:membership_pk>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
