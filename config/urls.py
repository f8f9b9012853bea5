from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from accounts import views as account_views

# A database error outside a view is the "service is busy" page too (config/errors.py).
handler500 = "config.errors.server_error"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="register:work", permanent=False), name="home"),
    # Pages link the icon among the static files (templates/base.html); what asks at the site's
    # root (a PDF in its own tab, a bookmark) is sent there. Not permanent: its hashed name changes.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.ico"), permanent=False), name="favicon"),
    path("register/", include("register.urls")),
    path("partnerships/", include("partnerships.urls")),
    path("assessments/", include("checklists.urls")),
    path("actions/", include("checklists.action_urls")),
    path("risks/", include("partnerships.risk_urls")),
    # A signed-in user sent here by a page they cannot see is told so and can
    # sign in as someone else (no redirect, so no redirect loop).
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Forgot your password?, and the link a new person is sent to set theirs
    # (accounts/emails.py): open to everyone, signed in or not.
    path("accounts/password-reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password-reset/sent/", account_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("accounts/password-reset/complete/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("accounts/password-reset/<uidb64>/<token>/", account_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/", include("accounts.urls")),
    path("manage/", include("administration.urls")),
    path("admin/", admin.site.urls),
]
