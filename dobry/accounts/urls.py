from django.urls import path

from dobry.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("consents/", views.consents, name="consents"),
    path("consents/<str:kind>/give/", views.consent_give, name="consent_give"),
    path("consents/<str:kind>/sign/", views.consent_sign, name="consent_sign"),
    path("consents/paper/new/", views.consent_paper, name="consent_paper"),
    path("consents/<id:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("export/", views.export_data, name="export"),
    path("delete/", views.delete_account, name="delete"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/<id:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
