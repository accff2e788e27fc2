"""The identity provider the SSO tests sign in through (see ../README.md)."""
