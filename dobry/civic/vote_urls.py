from django.urls import path

from dobry.civic import vote_prepare_views, vote_views

app_name = "votes"

urlpatterns = [
    path("", vote_views.vote_list, name="list"),
    path("receipt/", vote_views.receipt, name="receipt"),
    path("confirm/", vote_views.confirm, name="confirm"),
    path("residents/", vote_views.residents, name="residents"),
    path("new/", vote_prepare_views.vote_new, name="new"),
    path("<id:pk>/prepare/", vote_prepare_views.vote_prepare, name="prepare"),
    path("<id:pk>/options/", vote_prepare_views.option_add, name="option_add"),
    path("<id:pk>/officers/", vote_prepare_views.officers, name="officers"),
    path("options/<id:pk>/remove/", vote_prepare_views.option_remove, name="option_remove"),
    path("<id:pk>/", vote_views.vote_detail, name="vote"),
    path("<id:pk>/move/", vote_views.vote_move, name="move"),
    path("<id:pk>/voters/", vote_views.voters, name="voters"),
    path("<id:pk>/paper/", vote_views.paper_ballot, name="paper"),
]
