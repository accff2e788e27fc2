"""allauth's WebAuthn forms, refusing a malformed credential with the form's error instead of a 500.

allauth turns only some parsing errors into "Incorrect code." (TypeError, and ValueError in places);
fido2 raises KeyError for a missing member and binascii.Error (a ValueError) for bad base64 while
reading the posted JSON. A well-formed but wrong credential still goes through allauth's checks.
"""

from allauth.mfa.adapter import get_adapter
from allauth.mfa.webauthn import forms as allauth_forms

MALFORMED = (KeyError, TypeError, ValueError, AttributeError)


class AddWebAuthnForm(allauth_forms.AddWebAuthnForm):
    def clean(self):
        try:
            return super().clean()
        except MALFORMED:
            raise get_adapter().validation_error("incorrect_code") from None


class _Malformed:
    def clean_credential(self):
        try:
            return super().clean_credential()
        except MALFORMED:
            raise get_adapter().validation_error("incorrect_code") from None


class AuthenticateWebAuthnForm(_Malformed, allauth_forms.AuthenticateWebAuthnForm):
    pass


class ReauthenticateWebAuthnForm(_Malformed, allauth_forms.ReauthenticateWebAuthnForm):
    pass
