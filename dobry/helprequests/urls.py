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
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/records/", views.programme_records, name="programme_records"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/self-offer/", views.self_offer, name="self_offer"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/health/", views.health, name="health"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/priority/", views.priority, name="priority"),
    path("<int:pk>/route/", views.route, name="route"),
    path("<int:pk>/offer/", views.offer, name="offer"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/complete/", views.complete, name="complete"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
    path("offers/<int:pk>/answer/", views.answer, name="answer"),
]
