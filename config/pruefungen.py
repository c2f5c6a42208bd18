"""System checks for `manage.py check --deploy`: what the production settings must not lack."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def zwei_faktor_pflicht(app_configs, **kwargs):
    if getattr(settings, "OTP_REQUIRED", False):
        return []
    return [
        Warning(
            "OTP_REQUIRED ist aus: Mitarbeitende melden sich ohne zweiten Faktor an.",
            hint=(
                "In Produktion OTP_REQUIRED=true setzen, nachdem jedes Mitarbeiterkonto ein "
                "TOTP-Gerät hat (README, „Staff accounts and two-factor login“)."
            ),
            id="atlas.W001",
        )
    ]
