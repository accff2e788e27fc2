"""Sign-in: the password login, OpenID Connect and MFA through django-allauth (issue 13 §4, §5)."""
