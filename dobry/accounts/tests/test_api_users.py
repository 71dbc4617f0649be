import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from dobry.accounts.auth import api_user, api_viewer
from dobry.accounts.tests.factories import UserFactory


@pytest.mark.django_db
def test_api_user_is_the_user_that_authenticated():
    user = UserFactory()
    request = RequestFactory().get("/")
    request.auth = user
    assert api_user(request) == user
    assert api_viewer(request) == user


def test_api_user_refuses_an_endpoint_declared_without_auth():
    request = RequestFactory().get("/")
    with pytest.raises(AssertionError, match="auth=AUTH"):
        api_user(request)


def test_a_public_endpoints_caller_without_credentials_is_anonymous():
    request = RequestFactory().get("/")
    request.auth = AnonymousUser()
    assert isinstance(api_viewer(request), AnonymousUser)
    del request.auth
    assert isinstance(api_viewer(request), AnonymousUser)


@pytest.mark.django_db
def test_an_inactive_session_is_anonymous_to_a_public_endpoint(client):
    """ActiveSessionAuth refuses an inactive user; the public event list then treats the
    caller as anonymous instead of falling back to the session's user."""
    user = UserFactory(is_active=False)
    request = RequestFactory().get("/")
    request.user = user
    request.auth = AnonymousUser()
    assert isinstance(api_viewer(request), AnonymousUser)
