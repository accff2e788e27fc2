from tests.api.conftest import api, token_for  # noqa: F401  (the API clients, for the registers' routes)
