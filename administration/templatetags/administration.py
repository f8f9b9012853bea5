from django import template

register = template.Library()

# How a change record's keys read on the page (administration.services and its kin write them).
LABELS = {
    "first_name": "First name", "last_name": "Last name", "email": "Email", "role": "Role",
    "councils": "Councils", "active": "Active", "username": "Username", "ip_address": "From",
    "failures": "Wrong passwords", "last_try": "Last try", "locked": "Locked out",
    "name": "Name", "short_name": "Short name", "below": "Bring the review forward below",
    "review_months": "Review again within (months)",
}


@register.filter
def change_label(key) -> str:
    """A change record's key in words: its label, or the key made readable."""
    return LABELS.get(key) or str(key).replace("_", " ").capitalize()


@register.filter
def join_or_value(value) -> str:
    """A change record's value in words: a list joined, yes or no, or "none"."""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "none" if value in (None, "") else str(value)
