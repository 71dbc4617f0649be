def test_profile_needs_login(client, db):
    response = client.get("/profile/")
    assert response.status_code == 302


def test_profile_shows_roles_and_saves_a_normalised_phone(login_as, coordinator):
    client = login_as(coordinator)
    assert "координатор" in client.get("/profile/").content.decode()
    response = client.post(
        "/profile/",
        {
            "first_name": "Ольга",
            "last_name": "К",
            "middle_name": "",
            "phone": "8 913 000 11 22",
            "language": "ru",
        },
    )
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.phone == "+79130001122"


def test_bad_phone_is_explained_and_nothing_is_saved(login_as, resident):
    response = login_as(resident).post(
        "/profile/",
        {
            "first_name": "Новое",
            "last_name": "Имя",
            "middle_name": "",
            "phone": "123",
            "language": "ru",
        },
    )
    assert response.status_code == 200
    assert "10 цифр" in response.content.decode()
    resident.refresh_from_db()
    assert resident.first_name == "Анна"
