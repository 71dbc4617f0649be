from django.urls import path

from dobry.festivals import views

app_name = "festivals"

urlpatterns = [
    path("<id:pk>/", views.programme, name="programme"),
    path("<id:pk>/mine/", views.my_schedule, name="mine"),
    path("<id:pk>/programme.ics", views.programme_ics, name="ics"),
    path("<id:pk>/stands/apply/", views.stand_apply, name="stand_apply"),
    path("<id:pk>/manage/", views.manage, name="manage"),
    path("<id:pk>/manage/publish/", views.publish, name="publish"),
    path("sessions/<id:pk>/choose/", views.choose, name="choose"),
    path("stands/<id:pk>/decide/", views.stand_decide, name="stand_decide"),
    path("stands/<id:pk>/withdraw/", views.stand_withdraw, name="stand_withdraw"),
    path("tracks/<id:pk>/resolution/", views.resolution, name="resolution"),
]
