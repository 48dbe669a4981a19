"""Path converters shared by the page and API routes."""


class TokenConverter:
    """A secret from hall.models.new_token: URL-safe base64 only, so a path holding anything else (a NUL byte,
    which PostgreSQL refuses in a text comparison) is a 404 before it reaches a query."""

    regex = "[A-Za-z0-9_-]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
