from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import REDIRECT_FIELD_NAME
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.emails import link_lifetime
from accounts.forms import PasswordResetForm, SetPasswordForm
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


# Setting a password: Django's own views and tokens, in the register's words. The pages
# are the same for everyone, signed in or not, and never say whether an account exists.


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    subject_template_name = "registration/password_reset_subject.txt"
    email_template_name = "registration/password_reset_email.txt"


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "link_lasts": link_lifetime(),
                "resend_minutes": max(1, settings.PASSWORD_RESET_EMAIL_INTERVAL // 60)}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "link_lasts": link_lifetime()}

    def form_valid(self, form):
        response = super().form_valid(form)
        # Setting a password from the emailed link shows the person holds the account's
        # email: signing in, if locked by too many wrong passwords, is unlocked too, from
        # every address, so they can sign in with the new one straight away.
        axes_reset(username=form.user.get_username())
        return response
