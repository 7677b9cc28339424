"""Amounts: integers in a currency's minor unit in storage, Decimal at the edges, never float."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision, list_currencies

_KNOWN = None


class MoneyError(ValueError):
    """An amount or currency a reader or a payment service sent that cannot be taken."""


def currency_check(code: str) -> str:
    """Return the upper-cased ISO 4217 code, or raise MoneyError for an unknown one."""
    global _KNOWN  # the CLDR list, read once
    if _KNOWN is None:
        _KNOWN = frozenset(list_currencies())
    code = (code or "").strip().upper()
    if code not in _KNOWN:
        raise MoneyError(f"{code or 'An empty code'} is not a currency we know (ISO 4217).")
    return code


def minor_digits(currency: str) -> int:
    """Return how many decimals the currency has (USD 2, JPY 0, BHD 3)."""
    return get_currency_precision(currency_check(currency))


def to_minor(amount, currency: str) -> int:
    """Turn "12.50" / Decimal("12.5") into minor units (1250); refuse floats and odd values."""
    if isinstance(amount, float):
        raise MoneyError("Amounts are written as text or Decimal, never as floating point.")
    try:
        value = Decimal(str(amount).strip())
    except (InvalidOperation, ValueError):
        raise MoneyError(f"{amount!r} is not an amount.") from None
    if not value.is_finite():
        raise MoneyError(f"{amount!r} is not an amount.")
    digits = minor_digits(currency)
    scaled = value.scaleb(digits)
    if scaled != scaled.to_integral_value():
        raise MoneyError(f"{currency} amounts have at most {digits} decimals.")
    return int(scaled.to_integral_value(rounding=ROUND_HALF_UP))


def to_major(minor: int, currency: str) -> Decimal:
    """Turn minor units into a Decimal in major units (1250 → Decimal("12.50"))."""
    digits = minor_digits(currency)
    return (Decimal(int(minor)).scaleb(-digits)).quantize(Decimal(1).scaleb(-digits))


def money_format(minor: int, currency: str, *, pattern: str = "", locale: str = "en_US") -> str:
    """Write an amount for readers with babel: the pattern decides "1,660 $" or "$1,660"."""
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
