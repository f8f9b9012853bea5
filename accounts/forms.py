import unicodedata

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model

from accounts.emails import SERVICE_NAME, link_lifetime
from accounts.throttling import reset_email_allowed


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset request, in the register's words, emailing each active account with
    that address (never saying whether there is one) at most once in a while."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )

    def get_users(self, email):
        """Active accounts with this address, including those without a usable password.
        Django leaves those out for accounts that sign in elsewhere (LDAP, single sign-on);
        here nobody does, and a person added by an administrator has no password until
        they set one, so a reset is how they get a new link when theirs has expired."""
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        # As Django does: the database's case-blind match may pair addresses that differ.
        return (user for user in users if _folded(user.email) == _folded(email))

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        if not reset_email_allowed(context["user"]):
            return
        context = {**context, "service_name": SERVICE_NAME, "link_lasts": link_lifetime()}
        super().send_mail(subject_template_name, email_template_name, context, from_email, to_email,
                          html_email_template_name)


class SetPasswordForm(auth_forms.SetPasswordForm):
    """A new password, typed twice, checked by AUTH_PASSWORD_VALIDATORS; a password that
    fails them is reported on the first box, where it was chosen."""

    error_messages = {"password_mismatch": "The passwords do not match: enter the same password in both boxes"}

    new_password1 = forms.CharField(
        label="New password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a new password"},
    )
    new_password2 = forms.CharField(
        label="Confirm new password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the new password again"},
    )

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return super(auth_forms.SetPasswordForm, self).clean()  # not Django's, which checks the second box


def _folded(address: str) -> str:
    return unicodedata.normalize("NFKC", address).casefold()
