"""The Django admin is the operator's tool: superusers only.

Council administrators work on the register's own pages (administration/), built on
`visible_to` and the object rules like every other page. Scoping every corner of the
Django admin by council (third-party history views, autocomplete, other libraries'
models) is a losing game, so nobody but a superuser reaches any of it, staff status
or not: a signed-in person who is not a superuser is refused (403), and an anonymous
one is sent to the register's own sign-in page (its lockouts and password reset).
"""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse


class OperatorAdminSite(admin.AdminSite):
    site_header = "Partnership Register: operator’s administration"
    site_title = "Partnership Register"
    index_title = "Superusers only. Council administrators manage their people on the register’s Manage pages."

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def admin_view(self, view, cacheable=False):
        """Every admin view: a signed-in person who is not a superuser is refused at once
        (403), rather than sent round the admin's own sign-in page."""

        inner = super().admin_view(view, cacheable)

        def superusers_only(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied("The administration site is for superusers only.")
            return inner(request, *args, **kwargs)

        return update_wrapper(superusers_only, inner)

    def login(self, request, extra_context=None):
        # Reached whenever has_permission() says no.
        if request.user.is_authenticated:
            raise PermissionDenied("The administration site is for superusers only.")
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))

