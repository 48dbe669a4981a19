"""Figures as the report pages show them (KPIS.md): rates to one decimal of a percent, minutes to one decimal,
"—" for a rate over nothing or a figure not computed. Static/js/reports.js formats the charts' numbers alike."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()

NONE = "—"


def one_decimal(value: Decimal) -> str:
    """Half away from zero on the number as written (0.15 → 0.2, 6.25 → 6.3), as reports.js rounds it too."""
    return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def percent(value) -> str:
    return one_decimal(Decimal(repr(float(value))) * 100) + "%"


# Figures that are a quotient but not a share: tickets per open day.
PER_DAY = {"arrivals"}


def format_figure(figure: dict | None, part: str = "value", name: str = "") -> str:
    """A figure answer {value, numerator?, denominator?, count?}: a rate has a denominator, a time a count."""
    if not figure or figure.get(part) is None:
        return NONE
    value = figure[part]
    if part != "value":
        return str(value)
    if "denominator" in figure and name not in PER_DAY:
        return percent(value)
    if "count" in figure or isinstance(value, float):
        return one_decimal(Decimal(repr(float(value))))
    return str(value)


@register.simple_tag
def figure(figures: dict, name: str, part: str = "value") -> str:
    """{% figure row.figures "served" %}; part "numerator" or "denominator" gives that count of a rate."""
    return format_figure((figures or {}).get(name), part, name)


@register.filter
def figure_text(figure_answer: dict | None) -> str:
    return format_figure(figure_answer)


@register.filter
def as_percent(value) -> str:
    return NONE if value is None else percent(float(value))


@register.filter
def lookup(mapping: dict, key: str):
    return (mapping or {}).get(key)
