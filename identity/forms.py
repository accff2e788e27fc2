"""allauth's MFA forms: the second-factor step throttled, and malformed security-key answers refused.

Throttle (second_factor.py): the code forms (TOTP and recovery codes share the one field) and the
security-key forms count each wrong answer and refuse every answer past the limit.

allauth turns only some parsing errors into "Incorrect code." (TypeError, and ValueError in places);
fido2 raises KeyError for a missing member and binascii.Error (a ValueError) for bad base64 while
reading the posted JSON. A well-formed but wrong credential still goes through allauth's checks.
"""

from allauth.core import context
from allauth.mfa.adapter import get_adapter
from allauth.mfa.base import forms as allauth_base_forms
from allauth.mfa.webauthn import forms as allauth_forms

from . import second_factor

MALFORMED = (KeyError, TypeError, ValueError, AttributeError)


class AddWebAuthnForm(allauth_forms.AddWebAuthnForm):
    def clean(self):
        try:
            return super().clean()
        except MALFORMED:
            raise get_adapter().validation_error("incorrect_code") from None


class _ThrottledCode:
    def clean_code(self):
        code = self.cleaned_data.get("code", "")
        parent = super().clean_code
        return second_factor.checked(context.request, self.user, second_factor.code_method(code), parent)


class AuthenticateForm(_ThrottledCode, allauth_base_forms.AuthenticateForm):
    pass


class ReauthenticateForm(_ThrottledCode, allauth_base_forms.ReauthenticateForm):
    pass


class _ThrottledKey:
    def clean_credential(self):
        def verify():
            try:
                return super(_ThrottledKey, self).clean_credential()
            except MALFORMED:
                raise get_adapter().validation_error("incorrect_code") from None

        return second_factor.checked(context.request, self.user, "security_key", verify)


class AuthenticateWebAuthnForm(_ThrottledKey, allauth_forms.AuthenticateWebAuthnForm):
    pass


class ReauthenticateWebAuthnForm(_ThrottledKey, allauth_forms.ReauthenticateWebAuthnForm):
    pass
