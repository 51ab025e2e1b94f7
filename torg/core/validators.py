"""Validators for Norwegian identifiers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ORGANIZATION_NUMBER_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def organization_number_is_valid(value: str) -> bool:
    """Brønnøysund's rule: nine digits, the last a mod-11 check digit over the first eight."""
    if len(value) != 9 or not value.isdigit():
        return False
    remainder = sum(int(d) * w for d, w in zip(value, ORGANIZATION_NUMBER_WEIGHTS, strict=False)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return check != 10 and check == int(value[8])


def validate_organization_number(value: str) -> None:
    if not organization_number_is_valid(value):
        raise ValidationError(
            _("%(value)s is not a valid organization number (nine digits with a correct check digit)."),
            code="organization_number",
            params={"value": value},
        )


def validate_municipality_code(value: str) -> None:
    from torg.core.municipalities import municipalities

    if value not in municipalities():
        raise ValidationError(
            _("%(value)s is not a municipality number in the register."),
            code="municipality",
            params={"value": value},
        )
