from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from oauth2_provider.models import Application

PASSWORD = "idp-pass-1"


class Command(BaseCommand):
    help = "Register the client and create the provider's users (see tests/oidc_provider/README.md)."

    def add_arguments(self, parser):
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--client-secret", required=True)
        parser.add_argument("--redirect-uri", required=True)
        parser.add_argument("--unverified-email", required=True)

    def handle(self, *args, client_id, client_secret, redirect_uri, unverified_email, **options):
        Application.objects.create(
            name="SMS Tracker",
            client_id=client_id,
            client_secret=client_secret,  # stored hashed by django-oauth-toolkit
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=redirect_uri,
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=False,  # the consent page is part of the journey
        )
        User.objects.create_user("pat", "pat@example.test", PASSWORD, first_name="Pat", last_name="Lead")
        mallory = User.objects.create_user("mallory", unverified_email, PASSWORD)
        mallory.groups.add(Group.objects.create(name="unverified-email"))
        User.objects.create_user("newbie", "newbie@example.test", PASSWORD, first_name="New", last_name="Bie")
