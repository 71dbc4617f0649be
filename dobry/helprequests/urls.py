from django.urls import path

from dobry.helprequests.views import desk, detail, helping, programmes, residents

app_name = "helprequests"

urlpatterns = [
    path("", residents.public_list, name="public"),
    path("new/", residents.submit, name="submit"),
    path("mine/", residents.mine, name="mine"),
    path("queue/", desk.queue, name="queue"),
    path("batch/", desk.batch, name="batch"),
    path("programmes/", programmes.programmes, name="programmes"),
    path("programmes/new/", programmes.programme_edit, name="programme_new"),
    path("programmes/<id:pk>/edit/", programmes.programme_edit, name="programme_edit"),
    path("programmes/<id:pk>/records/", programmes.programme_records, name="programme_records"),
    path(
        "programmes/<id:pk>/records/confirm/",
        programmes.programme_record_confirm,
        name="programme_record_confirm",
    ),
    path("dashboard/", desk.dashboard, name="dashboard"),
    path("<id:pk>/self-offer/", helping.self_offer, name="self_offer"),
    path("<id:pk>/", detail.detail, name="detail"),
    path("<id:pk>/health/", detail.health, name="health"),
    path("<id:pk>/private/", detail.private, name="private"),
    path("<id:pk>/edit/", residents.edit, name="edit"),
    path("<id:pk>/cancel/", residents.cancel, name="cancel"),
    path("<id:pk>/invite/", desk.invite, name="invite"),
    path("<id:pk>/transition/", desk.transition, name="transition"),
    path("<id:pk>/priority/", desk.priority, name="priority"),
    path("<id:pk>/route/", desk.route, name="route"),
    path("<id:pk>/offer/", desk.offer, name="offer"),
    path("<id:pk>/report/", helping.report, name="report"),
    path("<id:pk>/complete/", desk.complete, name="complete"),
    path("<id:pk>/feedback/", residents.feedback, name="feedback"),
    path("offers/<id:pk>/answer/", helping.answer, name="answer"),
]
