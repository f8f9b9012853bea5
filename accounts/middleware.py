from django.utils.cache import patch_cache_control

from accounts.sessions import session_touch


def does_not_extend_session(view):
    """Mark a view whose requests are not activity (asking how long is left must not extend it)."""
    view.extends_session = False
    return view


class SessionIdleTimeoutMiddleware:
    """Each request from a signed-in person restarts their session's idle period, and
    their pages are never stored by the browser or any cache between (they may hold
    what only that person may see, and the back button must not show them after
    signing out)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "extends_session", True) and request.user.is_authenticated:
            session_touch(request.session)
