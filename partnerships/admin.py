from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied
from django.db.models import F
from simple_history.admin import SimpleHistoryAdmin

from common.forms import VersionField
from partnerships.models import Council, Organisation, Partnership, PartnershipMember, Theme
from partnerships.permissions import can_change_lead_officer
from partnerships.roles import ROLES
from partnerships.services import STALE_MESSAGE, councils_taking_part


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    """Every council and who belongs to it (the Django admin is for superusers only)."""

    list_display = ["name", "short_name"]
    search_fields = ["name", "short_name"]
    filter_horizontal = ["members"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "sector"]
    list_filter = ["sector"]
    search_fields = ["name"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


class PartnershipMemberInline(admin.TabularInline):
    model = PartnershipMember
    extra = 0
    autocomplete_fields = ["organisation"]


class PartnershipAdminForm(forms.ModelForm):
    """The administration site's form, with the same optimistic locking as the register's."""

    # Not called `version`: the admin builds its form from the field names it shows,
    # and the model's own `version` is not editable.
    opened_version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "opened_version" in cleaned:
            stored = Partnership.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            if cleaned["opened_version"] != stored:
                raise forms.ValidationError(STALE_MESSAGE.format(what="partnership"))
        return cleaned


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    """Partnerships are closed, not deleted: only a superuser may delete one (its history is kept).

    The history is for reading: reverting from it would skip the register's rules.
    """

    form = PartnershipAdminForm

    list_display = ["reference", "name", "status", "scope", "basis", "lead_officer", "next_review_due"]
    list_filter = ["status", "scope", "basis", "membership", "level", "councils", "themes"]
    search_fields = ["name", "reference"]
    readonly_fields = ["reference", "screening_confirmed_at", "created_by", "created_at", "updated_at"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["councils", "themes"]
    inlines = [PartnershipMemberInline]
    list_select_related = ["lead_officer"]

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        # The councils taking part before the change, for save_related.
        obj._stored_councils = list(Council.objects.filter(partnerships=obj)) if change else []
        super().save_model(request, obj, form, change)

    def get_readonly_fields(self, request, obj=None):
        fixed = list(super().get_readonly_fields(request, obj))
        if obj is not None and not can_change_lead_officer(request.user, obj):
            fixed.append("lead_officer")
        return fixed

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Only the person's own councils are offered, so the form drops other councils'
        # part in a joint partnership: the register's rule (councils_taking_part) keeps it.
        if "councils" in form.cleaned_data:
            form.instance.councils.set(councils_taking_part(
                request.user, form.cleaned_data["councils"], form.instance._stored_councils))
        if change:
            # An edit here makes any register page opened before it out of date, as an
            # edit on the register would (optimistic locking).
            Partnership.objects.filter(pk=form.instance.pk).update(version=F("version") + 1)


admin.site.unregister(get_user_model())


class CouncilMembershipInline(admin.TabularInline):
    """The councils a person belongs to."""

    model = Council.members.through
    extra = 0
    verbose_name = "council"
    verbose_name_plural = "Councils"


class RegisterUserForm(UserChangeForm):
    def clean_groups(self):
        return one_role_at_most(self.cleaned_data["groups"])


def one_role_at_most(groups):
    """One role per person: a second of the register's roles is refused, here as on the
    register's own pages (administration.services)."""
    roles = [group.name for group in groups if group.name in ROLES]
    if len(roles) > 1:
        raise forms.ValidationError(f"Give each person one role, not {len(roles)} ({', '.join(roles)}).")
    return groups


@admin.register(get_user_model())
class RegisterUserAdmin(UserAdmin):
    """Everyone's account, for superusers (the Django admin is for them only). Council
    administrators manage their own people on the register's Manage pages."""

    form = RegisterUserForm
    inlines = [CouncilMembershipInline]
    list_filter = ["is_superuser", "is_active", "groups", "councils"]
