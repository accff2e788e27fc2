"""allauth's pages that this application uses, under /accounts/ (mounted in sms_tracker/urls.py).

Listed one by one rather than include("allauth.urls"): no sign-up form, no e-mail address
management (addresses come from invitations and the admin; an address a user could add unverified
must not be what the identity provider's verified address is matched to), no login by code.
"""

from allauth.account import views as account
from allauth.mfa.base import views as mfa
from allauth.mfa.recovery_codes import views as recovery_codes
from allauth.mfa.totp import views as totp
from allauth.mfa.webauthn import views as webauthn
from allauth.socialaccount import views as social
from allauth.urls import build_provider_urlpatterns
from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path

from . import views
from .views import local_login_only

urlpatterns = [
    path("login/", views.login, name="account_login"),
    path("logout/", account.logout, name="account_logout"),
    path("inactive/", account.account_inactive, name="account_inactive"),
    path("signup/", account.signup, name="account_signup"),  # answers "sign-up is closed"
    path("reauthenticate/", local_login_only(account.reauthenticate), name="account_reauthenticate"),
    path("password/change/", local_login_only(account.password_change), name="account_change_password"),
    path("password/set/", local_login_only(account.password_set), name="account_set_password"),
    path("password/reset/", local_login_only(account.password_reset), name="account_reset_password"),
    path(
        "password/reset/done/",
        local_login_only(account.password_reset_done),
        name="account_reset_password_done",
    ),
    re_path(
        r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        local_login_only(account.password_reset_from_key),
        name="account_reset_password_from_key",
    ),
    path(
        "password/reset/key/done/",
        local_login_only(account.password_reset_from_key_done),
        name="account_reset_password_from_key_done",
    ),
    # MFA: TOTP and recovery codes.
    path("2fa/", mfa.index, name="mfa_index"),
    path("2fa/authenticate/", mfa.authenticate, name="mfa_authenticate"),
    path("2fa/reauthenticate/", mfa.reauthenticate, name="mfa_reauthenticate"),
    path("2fa/totp/activate/", totp.activate_totp, name="mfa_activate_totp"),
    path("2fa/totp/deactivate/", totp.deactivate_totp, name="mfa_deactivate_totp"),
    path("2fa/recovery-codes/", recovery_codes.view_recovery_codes, name="mfa_view_recovery_codes"),
    path(
        "2fa/recovery-codes/generate/",
        recovery_codes.generate_recovery_codes,
        name="mfa_generate_recovery_codes",
    ),
    path(
        "2fa/recovery-codes/download/",
        recovery_codes.download_recovery_codes,
        name="mfa_download_recovery_codes",
    ),
    # MFA: security keys / passkeys (WebAuthn) as a second factor. No passkey-only sign-in and no
    # passkey sign-up (allauth's login/ and signup/ are left out).
    path("2fa/webauthn/", webauthn.list_webauthn, name="mfa_list_webauthn"),
    path("2fa/webauthn/add/", webauthn.add_webauthn, name="mfa_add_webauthn"),
    path(
        "2fa/webauthn/reauthenticate/",
        webauthn.reauthenticate_webauthn,
        name="mfa_reauthenticate_webauthn",
    ),
    path("2fa/webauthn/keys/<int:pk>/remove/", webauthn.remove_webauthn, name="mfa_remove_webauthn"),
    path("2fa/webauthn/keys/<int:pk>/edit/", webauthn.edit_webauthn, name="mfa_edit_webauthn"),
    # The identity provider: linked accounts, and what the provider's round trip may end in.
    path("3rdparty/", social.connections, name="socialaccount_connections"),
    path("3rdparty/login/cancelled/", social.login_cancelled, name="socialaccount_login_cancelled"),
    # Signed out: the provider's round trip failed before anyone was signed in.
    path("3rdparty/login/error/", login_not_required(social.login_error), name="socialaccount_login_error"),
    path("3rdparty/signup/", social.signup, name="socialaccount_signup"),
    # /accounts/oidc/<provider_id>/login/ and .../login/callback/
    *build_provider_urlpatterns(),
]
