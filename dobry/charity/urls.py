from django.urls import path

from dobry.charity import (
    donor_views,
    manage_views,
    need_views,
    report_views,
    spending_views,
    views,
)

app_name = "charity"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<id:pk>/", views.campaign_detail, name="campaign"),
    path("<id:pk>/qr/", views.campaign_qr, name="campaign_qr"),
    path("<id:pk>/edit/", manage_views.campaign_edit, name="campaign_edit"),
    path("<id:pk>/move/", manage_views.campaign_move, name="campaign_move"),
    path("<id:pk>/updates/", manage_views.campaign_post_update, name="campaign_update"),
    path("needs/", need_views.needs, name="needs"),
    path("needs/<id:pk>/", need_views.need_detail, name="need"),
    path("needs/<id:pk>/edit/", need_views.need_edit, name="need_edit"),
    path("needs/<id:pk>/move/", need_views.need_move, name="need_move"),
    path("needs/<id:pk>/pledge/", need_views.pledge, name="pledge"),
    path("pledges/<id:pk>/move/", need_views.pledge_move, name="pledge_move"),
    path("mine/", donor_views.my_donations, name="mine"),
    path("mine/<id:pk>/letter/", donor_views.thank_you_letter, name="letter"),
    path("mine/pledges/<id:pk>/letter/", donor_views.pledge_letter, name="pledge_letter"),
    path("mine/tax-statement/", donor_views.tax_statement, name="tax_statement"),
    path("organization/<id:organization_pk>/", manage_views.desk, name="desk"),
    path("organization/<id:organization_pk>/bank/", manage_views.bank_details, name="bank_details"),
    path(
        "organization/<id:organization_pk>/new/",
        manage_views.campaign_create,
        name="campaign_create",
    ),
    path(
        "organization/<id:organization_pk>/needs/new/", need_views.need_create, name="need_create"
    ),
    path("organization/<id:organization_pk>/donations/", manage_views.donations, name="donations"),
    path(
        "organization/<id:organization_pk>/statements/", manage_views.statements, name="statements"
    ),
    path("organization/<id:organization_pk>/queue/", manage_views.queue, name="queue"),
    path("statements/<id:pk>/", manage_views.statement, name="statement"),
    path("statements/<id:pk>/move/", manage_views.statement_move, name="statement_move"),
    path("entries/<id:pk>/move/", manage_views.entry_move, name="entry_move"),
    path("organization/<id:organization_pk>/spending/", spending_views.spending, name="spending"),
    path("spending/<id:pk>/edit/", spending_views.spending_edit, name="spending_edit"),
    path("spending/<id:pk>/delete/", spending_views.spending_delete, name="spending_delete"),
    path("spending/<id:pk>/publish/", spending_views.receipt_publish, name="receipt_publish"),
    path(
        "organization/<id:organization_pk>/report/",
        report_views.organization_report,
        name="organization_report",
    ),
    path(
        "organization/<id:organization_pk>/report/<id:year>/",
        report_views.yearly_report,
        name="yearly_report",
    ),
]
