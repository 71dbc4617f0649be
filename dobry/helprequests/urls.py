from django.urls import path

from dobry.helprequests import views

app_name = "helprequests"

urlpatterns = [
    path("", views.public_list, name="public"),
    path("new/", views.submit, name="submit"),
    path("mine/", views.mine, name="mine"),
    path("queue/", views.queue, name="queue"),
    path("batch/", views.batch, name="batch"),
    path("programmes/", views.programmes, name="programmes"),
    path("programmes/new/", views.programme_edit, name="programme_new"),
    path("programmes/<id:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<id:pk>/records/", views.programme_records, name="programme_records"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<id:pk>/self-offer/", views.self_offer, name="self_offer"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/health/", views.health, name="health"),
    path("<id:pk>/private/", views.private, name="private"),
    path("<id:pk>/edit/", views.edit, name="edit"),
    path("<id:pk>/cancel/", views.cancel, name="cancel"),
    path("<id:pk>/invite/", views.invite, name="invite"),
    path("<id:pk>/transition/", views.transition, name="transition"),
    path("<id:pk>/priority/", views.priority, name="priority"),
    path("<id:pk>/route/", views.route, name="route"),
    path("<id:pk>/offer/", views.offer, name="offer"),
    path("<id:pk>/report/", views.report, name="report"),
    path("<id:pk>/complete/", views.complete, name="complete"),
    path("<id:pk>/feedback/", views.feedback, name="feedback"),
    path("offers/<id:pk>/answer/", views.answer, name="answer"),
]
