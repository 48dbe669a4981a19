import pytest

pytestmark = pytest.mark.django_db


def test_the_schema_is_refused_to_someone_not_signed_in(api):
    response = api.get("/api/schema/")
    assert response.status_code == 401
    assert b"openapi" not in response.content


def test_the_docs_page_sends_someone_not_signed_in_to_sign_in(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/api/docs/"


def test_signed_in_staff_read_the_schema_and_the_docs(client_as, clerk):
    client = client_as(clerk)
    assert client.get("/api/schema/").content.startswith(b"openapi:")
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b'id="swagger-ui"' in docs.content


def test_the_schema_answers_a_token_too(clerk_api):
    response = clerk_api.get("/api/schema/")
    assert response.status_code == 200
    assert response.content.startswith(b"openapi:")
