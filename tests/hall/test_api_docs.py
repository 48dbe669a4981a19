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


def schema_operations(clerk_api):
    import yaml

    schema = yaml.safe_load(clerk_api.get("/api/schema/").content)
    return [(path, method, operation) for path, ops in schema["paths"].items() for method, operation in ops.items()]


def test_every_operation_on_one_record_lists_its_404(clerk_api):
    on_one_record = [(path, method, op) for path, method, op in schema_operations(clerk_api) if "{" in path]

    assert len(on_one_record) > 40
    missing = [f"{method.upper()} {path}" for path, method, op in on_one_record if "404" not in op["responses"]]
    assert missing == []


def test_every_record_read_answers_the_listed_404_for_a_missing_record(api_as, clerk_api, manager):
    reads = [path for path, method, _ in schema_operations(clerk_api) if method == "get" and "{id}" in path]
    client = api_as(manager)

    for path in reads:
        response = client.get(path.replace("{id}", "999999"))
        assert response.status_code == 404, path
        assert set(response.json()) == {"detail"}, path
