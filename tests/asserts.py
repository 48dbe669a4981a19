"""Assertions shared by the API tests."""


def assert_field_errors(response, *fields):
    """A 400 in API.md's shape: {field: [messages]}, naming at least these fields."""
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(fields) <= set(body), body
    for messages in body.values():
        assert isinstance(messages, list)
        assert all(isinstance(message, str) for message in messages)
