"""Assertions shared by the API tests."""


def assert_field_errors(response, *fields):
    """A 400 in API.md's shape: {field: [messages]}, naming at least these fields."""
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(fields) <= set(body), body
    for messages in body.values():
        assert isinstance(messages, list)
        assert all(isinstance(message, str) for message in messages)


def assert_invalid_transition(response):
    """A 409 in API.md's shape for an action the record's status does not allow now."""
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "invalid_transition"
    assert response.json()["detail"]
