"""A deploy check: production must not run with staff two-factor sign-in turned off."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def second_factor_required(app_configs, **kwargs) -> list[Warning]:
    if settings.STAFF_REQUIRE_2FA:
        return []
    return [Warning(
        "STAFF_REQUIRE_2FA is off: clinicians and clinic admins sign in with a password alone.",
        hint="Unset STAFF_REQUIRE_2FA (it defaults to true); it exists for local demos only.",
        id="staff.W001",
    )]
