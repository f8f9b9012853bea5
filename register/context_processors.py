"""What every page's service navigation needs to know about the person signed in."""

from django.utils.functional import SimpleLazyObject

from register.work import waiting_count


def waiting(request):
    """`waiting`: how many things wait for an officer on Your work, counted only if a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"waiting": SimpleLazyObject(lambda: waiting_count(user))}
