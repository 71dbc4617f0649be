"""Issue 11 §2 examples in the record book: a year no hours can have is a 404."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", ["0", "1", "99999", "1" * 30])
def test_the_summary_of_a_year_no_hours_can_have_is_a_404(login_as, resident, year):
    assert login_as(resident).get(f"/volunteer/book/{year}/").status_code == 404


def test_a_birth_date_in_year_1_is_a_form_error(login_as, resident):
    response = login_as(resident).post("/volunteer/profile/", {"date_of_birth": "0001-01-01"})
    assert response.status_code == 200
    assert "Дата должна быть между 01.01.1900 и 31.12.2100." in response.content.decode()


@pytest.mark.parametrize("pk", ["0", "9223372036854775808", "1" * 30])
def test_a_public_profile_with_an_id_beyond_the_column_is_a_404(client, pk):
    assert client.get(f"/volunteer/people/{pk}/").status_code == 404
