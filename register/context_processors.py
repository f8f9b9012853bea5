"""What every page's service navigation needs to know about the person signed in."""

from django.utils.functional import SimpleLazyObject

from register.work import remembered_waiting_count


def waiting(request):
    """`waiting`: how many things wait for an officer on Your work, counted only if a page shows it
    (and then at most once a minute: `remembered_waiting_count`)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"waiting": SimpleLazyObject(lambda: remembered_waiting_count(request))}
