"""Amounts: integers in a currency's minor unit in storage, Decimal at the edges, never float."""

import functools
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_percent, get_currency_precision, list_currencies
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

_KNOWN = None


class MoneyError(ValueError):
    """An amount or currency a reader or a payment service sent that cannot be taken."""


def reader_locale(language: str | None = None) -> str:
    """Return babel's locale for `language` (default: the active one), e.g. "pt" or "pt_BR".

    Amounts and month names follow the language the reader reads the page in; a code babel
    does not know falls back to the site's default language.
    """
    for code in (language, translation.get_language(), settings.LANGUAGE_CODE):
        if code and (locale := _babel_locale(code)):
            return locale
    return "en"


@functools.lru_cache(maxsize=256)
def _babel_locale(code: str) -> str:
    """Babel's name for the language `code`, or "" where babel does not know it."""
    locale = translation.to_locale(code)
    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        return ""
    return locale


def currency_check(code: str) -> str:
    """Return the upper-cased ISO 4217 code, or raise MoneyError for an unknown one."""
    global _KNOWN  # the CLDR list, read once
    if _KNOWN is None:
        _KNOWN = frozenset(list_currencies())
    code = (code or "").strip().upper()
    if code not in _KNOWN:
        if not code:
            raise MoneyError(_("Enter a currency code (ISO 4217), e.g. USD or EUR."))
        raise MoneyError(_("%(code)s is not a currency we know (ISO 4217).") % {"code": code[:12]})
    return code


def minor_digits(currency: str) -> int:
    """Return how many decimals the currency has (USD 2, JPY 0, BHD 3)."""
    return get_currency_precision(currency_check(currency))


def to_minor(amount, currency: str) -> int:
    """Turn "12.50" / Decimal("12.5") into minor units (1250); refuse floats and odd values."""
    if isinstance(amount, float):  # a programming error, never a reader's: not translated
        raise MoneyError("Amounts are written as text or Decimal, never as floating point.")
    try:
        value = Decimal(str(amount).strip())
    except (InvalidOperation, ValueError):
        raise MoneyError(_("%(amount)s is not an amount.") % {"amount": repr(amount)}) from None
    if not value.is_finite():
        raise MoneyError(_("%(amount)s is not an amount.") % {"amount": repr(amount)})
    digits = minor_digits(currency)
    scaled = value.scaleb(digits)
    if scaled != scaled.to_integral_value():
        if digits == 0:
            raise MoneyError(_("%(currency)s amounts are whole numbers.") % {"currency": currency})
        raise MoneyError(
            ngettext(
                "%(currency)s amounts have at most %(digits)s decimal.",
                "%(currency)s amounts have at most %(digits)s decimals.",
                digits,
            )
            % {"currency": currency, "digits": digits}
        )
    return int(scaled.to_integral_value(rounding=ROUND_HALF_UP))


def to_major(minor: int, currency: str) -> Decimal:
    """Turn minor units into a Decimal in major units (1250 → Decimal("12.50"))."""
    digits = minor_digits(currency)
    return (Decimal(int(minor)).scaleb(-digits)).quantize(Decimal(1).scaleb(-digits))


def money_format(minor: int, currency: str, *, pattern: str = "", locale: str = "") -> str:
    """Write an amount for readers with babel: the pattern decides "1,660 $" or "$1,660", the
    locale (default: the active language's) the separators and symbols ("1 660 $" in French)."""
    return _money_written(minor, currency, pattern, locale or reader_locale())


# Every page's goal bar writes the same few amounts in the same few languages: babel's
# formatting was a twentieth of an article's render, for the same strings each time.
@functools.lru_cache(maxsize=4096)
def _money_written(minor: int, currency: str, pattern: str, locale: str) -> str:
    amount = to_major(minor, currency)
    whole = amount == amount.to_integral_value()
    return format_currency(
        amount,
        currency,
        format=pattern or None,
        locale=locale,
        # Round amounts read better without ".00" on a goal bar ("2,500 $").
        currency_digits=not whole,
        decimal_quantization=not whole,
    )


def percent_format(percent: int, *, locale: str = "") -> str:
    """Write a whole percentage as `locale` does: "33%", "33 %" (French), "%33" (Turkish)."""
    return format_percent(Decimal(percent) / 100, locale=locale or reader_locale())
