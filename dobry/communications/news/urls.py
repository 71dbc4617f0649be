from django.urls import path

from dobry.communications.channels import views as channel_views
from dobry.communications.news import feeds, views

app_name = "news"

urlpatterns = [
    path("", views.news_list, name="list"),
    path("new/", views.news_create, name="create"),
    path("desk/", views.news_desk, name="desk"),
    path("channels/", channel_views.channel_queue, name="channels"),
    path("channels/<id:pk>/move/", channel_views.channel_post_move, name="channel_post_move"),
    path("rss/", feeds.CityNewsRss(), name="rss"),
    path("atom/", feeds.CityNewsAtom(), name="atom"),
    path("organizations/<id:pk>/rss/", feeds.OrganizationNewsRss(), name="organization_rss"),
    path("organizations/<id:pk>/atom/", feeds.OrganizationNewsAtom(), name="organization_atom"),
    path("<id:pk>/", views.news_detail, name="detail"),
    path("<id:pk>/edit/", views.news_edit, name="edit"),
    path("<id:pk>/move/", views.news_move, name="move"),
]
