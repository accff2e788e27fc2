"""Ids in API URLs: positive integers that fit PostgreSQL's bigint.

Django's `int` converter takes any run of digits; an id beyond 64 bits then overflowed the query
and answered an HTML 500 on every route. Out of range, an id matches no route, so it ends at the
API's catch-all: a problem+json 404, like any other id that names nothing."""

MAX_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= MAX_ID:
            raise ValueError("id out of range")  # the route does not match
        return number

    def to_url(self, value) -> str:
        return str(value)
