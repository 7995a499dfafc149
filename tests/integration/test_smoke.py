from carertrack.models.user import Role


def test_anonymous_home_redirects_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_signed_in_home_greets_by_first_name(client, signed_in_as):
    signed_in_as(Role.MANAGER, name="Maria Jones")
    page = client.get("/").get_data(as_text=True)
    assert "Hello, Maria" in page
