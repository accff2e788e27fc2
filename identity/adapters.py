"""allauth adapters: nobody signs up; the identity provider links accounts by verified e-mail only.

Accounts are created by invitation (projects/invitations.py) or in the admin. A person signing in
through the identity provider is matched to an existing account by an e-mail address the provider
says is verified (allauth looks only verified addresses up). Unknown people get an account only with
OIDC_AUTO_CREATE=1, and only with a verified address; they then see nothing until invited.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False  # accounts come from invitations


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return settings.OIDC_AUTO_CREATE and any(a.verified for a in sociallogin.email_addresses)

    def authenticate_by_email(self, sociallogin):
        """The account with the provider's verified address; that address is then verified here too.

        allauth wipes the local password of an account whose address it has not seen verified (the
        threat: someone signed up with another person's address). Nobody signs up here: addresses
        come from invitations, whose set-password link went to that address. So the provider's
        verification is recorded instead, and the local password keeps working while it is allowed.
        """
        found = super().authenticate_by_email(sociallogin) or self._by_address_any_case(sociallogin)
        if found:
            user, email = found
            first = not EmailAddress.objects.filter(user=user).exists()
            address, _ = EmailAddress.objects.get_or_create(
                user=user, email__iexact=email, defaults={"email": email, "primary": first}
            )
            if not address.verified:
                address.verified = True
                address.save(update_fields=["verified"])
        return found

    def _by_address_any_case(self, sociallogin):
        """allauth compares User.email exactly in lower case; accounts made in the admin may not be."""
        for address in sociallogin.email_addresses:
            if not address.verified or not self.can_authenticate_by_email(sociallogin, address.email):
                continue
            users = list(get_user_model().objects.filter(email__iexact=address.email, is_active=True)[:2])
            if len(users) == 1:  # two accounts with one address: link neither
                return users[0], address.email
        return None
