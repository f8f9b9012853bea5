from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import REDIRECT_FIELD_NAME
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.middleware import does_not_extend_session
from accounts.sessions import session_expires_in, session_touch


@never_cache
@require_http_methods(["GET", "POST"])
@does_not_extend_session
def session_status(request):
    """How long the session has left (GET, which does not extend it), or "stay signed
    in" (POST, which does), for the timeout warning; no page reload, so nothing typed
    on the page is lost."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "expires_in": 0})
    if request.method == "POST":
        session_touch(request.session, force=True)
    return JsonResponse({"signed_in": True, "expires_in": session_expires_in(request.session)})


def locked_out(request, response=None, credentials=None):
    """django-axes' lockout response: the sign-in page again, saying why and for how long."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    next_url = request.POST.get(REDIRECT_FIELD_NAME, request.GET.get(REDIRECT_FIELD_NAME, ""))
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = ""
    context = {
        "form": AuthenticationForm(request, initial={"username": username[:150]}),
        "locked_out": True,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        REDIRECT_FIELD_NAME: next_url,
    }
    return render(request, "registration/login.html", context, status=429)
