import re

import pytest
from rest_framework.test import APIClient

from hall.models import Role
from tests.factories import UserFactory


def test_a_token_from_the_token_endpoint_authenticates_later_calls(api, clerk):
    response = api.post("/api/auth/token/", {"username": "clerk1", "password": "pw12345678"}, format="json")
    assert response.status_code == 200, response.content
    token = response.json()["token"]

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/me/")

    assert me.status_code == 200
    assert me.json()["username"] == "clerk1"


def test_the_same_user_gets_the_same_token_twice(api, clerk):
    body = {"username": "clerk1", "password": "pw12345678"}
    first = api.post("/api/auth/token/", body, format="json").json()["token"]
    assert api.post("/api/auth/token/", body, format="json").json()["token"] == first


def test_a_wrong_password_gets_no_token(api, clerk):
    response = api.post("/api/auth/token/", {"username": "clerk1", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()
    assert isinstance(response.json()["non_field_errors"], list)


def test_an_inactive_user_gets_no_token(api, clerk):
    clerk.is_active = False
    clerk.save()
    response = api.post("/api/auth/token/", {"username": "clerk1", "password": "pw12345678"}, format="json")
    assert response.status_code == 400


def test_me_answers_the_contract_shape(api_as, hall):
    user = UserFactory(hall=hall, username="duty", name="李值班", roles=[Role.DUTY_MANAGER, Role.CLERK])

    body = api_as(user).get("/api/me/").json()

    assert body == body | {
        "id": user.pk,
        "username": "duty",
        "name": "李值班",
        "hall": hall.pk,
        "roles": ["clerk", "duty_manager"],
    }


def test_me_falls_back_to_the_username_for_the_name(api_as, hall):
    user = UserFactory(hall=hall, username="nameless", name="")
    assert api_as(user).get("/api/me/").json()["name"] == "nameless"


def test_the_staff_list_answers_the_contract_shape(api_as, manager, clerk, hall):
    response = api_as(manager).get(f"/api/staff/?hall={hall.pk}")

    assert response.status_code == 200
    body = response.json()
    assert {"count", "next", "previous", "results"} == body.keys()
    assert body["count"] == 2
    by_name = {row["username"]: row for row in body["results"]}
    assert by_name["clerk1"] == by_name["clerk1"] | {"id": clerk.pk, "roles": ["clerk"], "skills": []}
    assert {"id", "username", "name", "roles", "skills"} <= by_name["manager"].keys()


def test_lists_are_paginated(api_as, manager, hall):
    for n in range(30):
        UserFactory(hall=hall, username=f"temp{n:02d}")

    first = api_as(manager).get("/api/staff/").json()
    second = api_as(manager).get(first["next"]).json()

    assert first["count"] == 31
    assert len(first["results"]) == 25
    assert first["previous"] is None
    assert len(second["results"]) == 6
    assert second["next"] is None
    assert second["previous"]


def test_the_hall_detail_answers_code_and_name(clerk_api, hall):
    body = clerk_api.get(f"/api/halls/{hall.pk}/").json()
    assert body == body | {"id": hall.pk, "code": "demo", "name": "示范营业厅"}


def test_the_openapi_schema_is_served(clerk_api):
    response = clerk_api.get("/api/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "openapi:" in text
    for path in ("/api/tickets/", "/api/counters/{id}/call-next/", "/api/tickets/rate/{token}/", "/api/me/"):
        assert f"{path}:" in text


def test_the_api_docs_render_with_local_assets_only(client_as, clerk, settings):
    response = client_as(clerk).get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    assert all(not asset.startswith(("http:", "https:", "//")) for asset in assets), assets
    assert not re.search(r"cdn|jsdelivr|unpkg|cloudflare", html, re.IGNORECASE)
    assert any(asset.startswith(f"{settings.STATIC_URL}drf_spectacular_sidecar/") for asset in assets), assets


@pytest.mark.parametrize("path", ["/api/me/", "/api/halls/", "/api/staff/", "/api/business-types/", "/api/counters/"])
def test_reference_data_needs_a_login(api, path):
    assert api.get(path).status_code == 401


def test_the_openapi_schema_builds_without_a_warning(db):
    from django.core.management import call_command

    # --fail-on-warn: two components of one name, or an enum without a name, make this fail.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
