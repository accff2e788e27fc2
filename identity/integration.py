"""What `identity` contributes through the extension registry (kernel.extensions): the throttle it
counts in kernel/throttle.py. Registered in IdentityConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from kernel.extensions import Contributions, ThrottleScopeSpec

from .second_factor import SCOPE as SECOND_FACTOR_SCOPE

CONTRIBUTIONS = Contributions(
    throttle_scopes=(ThrottleScopeSpec(SECOND_FACTOR_SCOPE, _("Wrong second-factor code or security key")),),
)
