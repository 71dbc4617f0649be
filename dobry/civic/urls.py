from django.urls import path

from dobry.civic import centre_views, participant_views, views

app_name = "civic"

urlpatterns = [
    path("", views.initiatives, name="initiatives"),
    path("new/", participant_views.initiative_create, name="initiative_create"),
    path("moderation/", centre_views.moderation, name="moderation"),
    path("<id:pk>/", views.initiative_detail, name="initiative"),
    path("<id:pk>/edit/", participant_views.initiative_edit, name="initiative_edit"),
    path("<id:pk>/support/", participant_views.support, name="support"),
    path("<id:pk>/unsupport/", participant_views.unsupport, name="unsupport"),
    path("<id:pk>/follow/", participant_views.follow, name="follow"),
    path("<id:pk>/unfollow/", participant_views.unfollow, name="unfollow"),
    path("<id:pk>/team/", participant_views.team, name="team"),
    path("<id:pk>/team/leave/", participant_views.team_leave, name="team_leave"),
    path("<id:pk>/comment/", participant_views.comment, name="comment"),
    path("<id:pk>/move/", centre_views.initiative_move, name="initiative_move"),
    path("<id:pk>/results/", centre_views.timeline_post, name="timeline_post"),
    path("<id:pk>/respond/", centre_views.respond, name="respond"),
    path("<id:pk>/links/", centre_views.link_add, name="link_add"),
    path("links/<id:pk>/remove/", centre_views.link_remove, name="link_remove"),
    path("comments/<id:pk>/report/", participant_views.report, name="report"),
    path("comments/<id:pk>/move/", centre_views.comment_move, name="comment_move"),
]
