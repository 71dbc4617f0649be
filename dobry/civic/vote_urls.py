from django.urls import path

from dobry.civic import vote_views

app_name = "votes"

urlpatterns = [
    path("", vote_views.vote_list, name="list"),
    path("receipt/", vote_views.receipt, name="receipt"),
    path("confirm/", vote_views.confirm, name="confirm"),
    path("residents/", vote_views.residents, name="residents"),
    path("<id:pk>/", vote_views.vote_detail, name="vote"),
    path("<id:pk>/move/", vote_views.vote_move, name="move"),
    path("<id:pk>/voters/", vote_views.voters, name="voters"),
    path("<id:pk>/paper/", vote_views.paper_ballot, name="paper"),
]
