from django import template

register = template.Library()


@register.filter
def join_or_value(value) -> str:
    """A change record's value in words: a list joined, yes or no, or "none"."""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "none" if value in (None, "") else str(value)
