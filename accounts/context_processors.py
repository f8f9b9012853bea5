from django.conf import settings

from accounts.sessions import session_expires_in, session_warning


def session_timeout(request):
    """What the timeout warning on a signed-in page needs (templates/includes/session_timeout.html)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"session_timeout": {
        "expires_in": session_expires_in(request.session),
        "warning": session_warning(),
        "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
    }}
