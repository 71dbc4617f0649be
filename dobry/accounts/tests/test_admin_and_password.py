import re

from django.core import mail
from django.test import Client

from dobry.accounts.tests.factories import PASSWORD


def test_django_admin_is_for_platform_admins_and_russian(login_as, admin_user, coordinator):
    response = login_as(admin_user).get("/admin/")
    assert response.status_code == 200
    assert "Добрый Железногорск — администрирование" in response.content.decode()
    assert login_as(admin_user).get("/admin/organizations/organization/").status_code == 200
    assert login_as(admin_user).get("/admin/accounts/user/").status_code == 200
    assert login_as(coordinator).get("/admin/")["Location"].startswith("/admin/login/")


def test_password_reset_mails_a_link_that_sets_a_new_password(resident):
    client = Client()
    response = client.post("/accounts/password/reset/", {"email": resident.email})
    assert response.status_code == 302
    body = mail.outbox[-1].body
    path = re.search(r"/accounts/password/reset/key/\S+/", body).group(0)
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_path = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    response = client.post(
        set_path, {"password1": "Novy-parol-2026", "password2": "Novy-parol-2026"}
    )
    assert response.status_code == 302
    assert Client().login(email=resident.email, password="Novy-parol-2026")
    assert not Client().login(email=resident.email, password=PASSWORD)


def test_staff_can_open_two_factor_settings(login_as, coordinator):
    response = login_as(coordinator).get("/accounts/2fa/")
    assert response.status_code == 200
    assert "/accounts/2fa/totp/activate/" in response.content.decode()
