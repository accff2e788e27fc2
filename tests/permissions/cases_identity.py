"""Sign-in, password, MFA and identity-provider pages (allauth, identity/urls.py).

All are user-level, like /account/tokens/: no project in them, so no outsider/member difference.
Pages for signed-out people answer everyone; signed-in users are sent on from the sign-in pages.
"""

from tests.identity.helpers import add_security_key
from tests.permissions.matrix import ROLES, Case, public, signed_in

SIGNED_IN_ROLES = [r for r in ROLES if r != "anonymous"]


def leads_key(w):
    return w.obj("lead_key", lambda w: add_security_key(w.user("lead"))).pk


def signed_out_only():
    """The sign-in page and its kin: 200 when signed out, a signed-in user is sent to the projects."""
    return {"anonymous": 200, **{r: 302 for r in SIGNED_IN_ROLES}}


CASES = [
    Case("account_login", lambda w: "/accounts/login/", signed_out_only()),
    Case("account_logout", lambda w: "/accounts/logout/", public(302), method="post"),
    Case("account_inactive", lambda w: "/accounts/inactive/", public()),
    # Sign-up is closed: the page says so (accounts come from invitations).
    Case("account_signup", lambda w: "/accounts/signup/", signed_out_only()),
    Case("account_signup", lambda w: "/accounts/signup/", signed_out_only(), method="post", label="closed"),
    Case("account_reauthenticate", lambda w: "/accounts/reauthenticate/", signed_in()),
    Case("account_change_password", lambda w: "/accounts/password/change/", signed_in()),
    # Users with a password are sent to the change form; set is for accounts made by the provider.
    Case("account_set_password", lambda w: "/accounts/password/set/", signed_in(302)),
    Case("account_reset_password", lambda w: "/accounts/password/reset/", public()),
    Case("account_reset_password_done", lambda w: "/accounts/password/reset/done/", public()),
    Case(
        "account_reset_password_from_key",
        lambda w: "/accounts/password/reset/key/1-bad-token/",
        public(),  # the page says the link is no longer valid
    ),
    Case("account_reset_password_from_key_done", lambda w: "/accounts/password/reset/key/done/", public()),
    Case("mfa_index", lambda w: "/accounts/2fa/", signed_in()),
    # Only inside a sign-in that waits for its code; otherwise back to where one belongs.
    Case("mfa_authenticate", lambda w: "/accounts/2fa/authenticate/", public(302)),
    Case("mfa_reauthenticate", lambda w: "/accounts/2fa/reauthenticate/", signed_in(302)),
    # Setting TOTP up asks for the password again first (the test clients never typed one).
    Case("mfa_activate_totp", lambda w: "/accounts/2fa/totp/activate/", signed_in(302)),
    # Nothing to deactivate or show without TOTP: 404.
    Case("mfa_deactivate_totp", lambda w: "/accounts/2fa/totp/deactivate/", signed_in(404)),
    Case("mfa_view_recovery_codes", lambda w: "/accounts/2fa/recovery-codes/", signed_in(404)),
    Case("mfa_generate_recovery_codes", lambda w: "/accounts/2fa/recovery-codes/generate/", signed_in(302)),
    Case("mfa_download_recovery_codes", lambda w: "/accounts/2fa/recovery-codes/download/", signed_in(404)),
    # Security keys (WebAuthn): the list is the user's own.
    Case("mfa_list_webauthn", lambda w: "/accounts/2fa/webauthn/", signed_in()),
    # Adding a key asks for the password again first, like TOTP.
    Case("mfa_add_webauthn", lambda w: "/accounts/2fa/webauthn/add/", signed_in(302)),
    Case("mfa_reauthenticate_webauthn", lambda w: "/accounts/2fa/webauthn/reauthenticate/", signed_in(302)),
    # Editing or removing a key asks for the password again before the key is even looked up; that
    # another user's key is then not found is in tests/identity/test_security_keys.py.
    Case("mfa_edit_webauthn", lambda w: f"/accounts/2fa/webauthn/keys/{leads_key(w)}/edit/", signed_in(302)),
    Case(
        "mfa_remove_webauthn", lambda w: f"/accounts/2fa/webauthn/keys/{leads_key(w)}/remove/", signed_in(302)
    ),
    Case(
        "mfa_remove_webauthn",
        lambda w: f"/accounts/2fa/webauthn/keys/{leads_key(w)}/remove/",
        signed_in(302),
        method="post",
    ),
    Case("socialaccount_connections", lambda w: "/accounts/3rdparty/", signed_in()),
    Case("socialaccount_login_cancelled", lambda w: "/accounts/3rdparty/login/cancelled/", public()),
    # allauth answers its error page with 401.
    Case("socialaccount_login_error", lambda w: "/accounts/3rdparty/login/error/", public(401)),
    # Only inside a provider sign-in that needs more details; otherwise back to the sign-in page.
    Case("socialaccount_signup", lambda w: "/accounts/3rdparty/signup/", public(302)),
    # No provider is configured in the tests' settings: the provider's URLs do not exist for it.
    Case("openid_connect_login", lambda w: "/accounts/oidc/sso/login/", public(404), method="post"),
    Case("openid_connect_callback", lambda w: "/accounts/oidc/sso/login/callback/", public(404)),
]
