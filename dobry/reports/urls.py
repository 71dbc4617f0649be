from django.urls import path

from dobry.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report, name="dashboard"),
    path("public/", views.public_report, name="public"),
    path("kpi.csv", views.kpi_csv, name="kpi_csv"),
    path("indicators.xlsx", views.export_xlsx, name="xlsx"),
    path("passport.docx", views.passport_docx, name="docx"),
    path("targets/", views.targets, name="targets"),
    path("snapshots/", views.snapshots_recompute, name="snapshots"),
    path("reach/", views.reach, name="reach"),
    path("reach/<id:pk>/delete/", views.reach_delete, name="reach_delete"),
    path("infrastructure/", views.infrastructure, name="infrastructure"),
    path("infrastructure/<id:pk>/", views.infrastructure_toggle, name="infrastructure_toggle"),
]
