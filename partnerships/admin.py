from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from simple_history.admin import SimpleHistoryAdmin

from common.forms import VersionField
from partnerships.models import Council, Organisation, Partnership, PartnershipMember, Theme, council_ids_of
from partnerships.permissions import can_change_lead_officer
from partnerships.roles import ADMINISTRATOR, ROLES
from partnerships.services import STALE_MESSAGE, councils_taking_part


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    """A superuser manages every council and who belongs to it. An Administrator sees and
    renames their own councils only; their people are given councils on their accounts."""

    list_display = ["name", "short_name"]
    search_fields = ["name", "short_name"]
    filter_horizontal = ["members"]

    def get_queryset(self, request):
        councils = super().get_queryset(request)
        return councils if request.user.is_superuser else councils.filter(pk__in=council_ids_of(request.user))

    def get_exclude(self, request, obj=None):
        return [] if request.user.is_superuser else ["members"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


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

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return self.list_filter
        # Only the councils of the partnerships they manage.
        return [(name, admin.RelatedOnlyFieldListFilter) if name == "councils" else name for name in self.list_filter]

    def get_queryset(self, request):
        """An Administrator manages their own councils' partnerships (visible_to); a superuser, all."""
        return super().get_queryset(request).visible_to(request.user)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "councils" and not request.user.is_superuser:
            kwargs["queryset"] = Council.objects.filter(pk__in=council_ids_of(request.user))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

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
    """The councils a person belongs to. An Administrator gives and takes away only their own."""

    model = Council.members.through
    extra = 0
    verbose_name = "council"
    verbose_name_plural = "Councils"

    def get_queryset(self, request):
        memberships = super().get_queryset(request).select_related("council")
        if request.user.is_superuser:
            return memberships
        return memberships.filter(council__in=council_ids_of(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "council" and not request.user.is_superuser:
            kwargs["queryset"] = Council.objects.filter(pk__in=council_ids_of(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # The through model has no permissions of its own: managing accounts is what counts.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("auth.view_user")

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("auth.change_user")

    has_change_permission = has_add_permission

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("auth.change_user")

    def get_min_num(self, request, obj=None, **kwargs):
        """An Administrator's new account belongs to one of their councils, where there are several."""
        adding = obj is None or obj.pk is None
        several = Council.objects.count() > 1
        return 1 if adding and several and not request.user.is_superuser else 0


@admin.register(get_user_model())
class RegisterUserAdmin(UserAdmin):
    """An Administrator gives people one of the four roles, and nothing more.

    Superuser status, staff status and raw permissions are for superusers only;
    an Administrator cannot change or delete a superuser's account (or take it
    over by setting its password). Staff status, which opens this site, follows
    the Administrator role for accounts an Administrator manages.

    An Administrator is their councils' administrator: they see and manage the people
    of their own councils (and new accounts that belong to no council yet), and give
    them their own councils only; a superuser manages everyone.
    """

    inlines = [CouncilMembershipInline]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "councils"]

    ROLE_FIELDSETS = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Role", {"fields": ("is_active", "groups"),
                  "description": "Give each person one of the register’s roles. Only a superuser can give "
                                 "superuser status, staff status or individual permissions."}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )

    def get_queryset(self, request):
        users = super().get_queryset(request)
        if request.user.is_superuser:
            return users
        Membership = Council.members.through
        return users.filter(
            Q(pk__in=Membership.objects.filter(council__in=council_ids_of(request.user)).values("user_id"))
            | ~Q(pk__in=Membership.objects.values("user_id"))
        )

    def get_list_filter(self, request):
        return self.list_filter if request.user.is_superuser else ["groups", "is_active"]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Council.members.through:
            return super().save_formset(request, form, formset, change)
        # A new account may already belong to the only council (partnerships.councils),
        # so a membership is added if missing rather than inserted twice.
        for membership in formset.save(commit=False):
            if membership.pk:
                membership.save()
            else:
                formset.model.objects.get_or_create(user=form.instance, council=membership.council)
        for membership in formset.deleted_objects:
            membership.delete()

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser or obj is None:
            return super().get_fieldsets(request, obj)
        return self.ROLE_FIELDSETS

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ("last_login", "date_joined")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=ROLES)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _manages(self, request, obj) -> bool:
        return request.user.is_superuser or obj is None or not obj.is_superuser

    def has_change_permission(self, request, obj=None):
        return self._manages(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._manages(request, obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            # Whatever was posted, these stay as they were (a new account gets none of them).
            stored = type(obj).objects.filter(pk=obj.pk).values("is_superuser").first() if obj.pk else None
            obj.is_superuser = bool(stored and stored["is_superuser"])
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # Groups other than the four roles are not offered to an Administrator, so the
        # form's groups would drop them: they are kept.
        kept = [] if request.user.is_superuser or not change else list(
            form.instance.groups.exclude(name__in=ROLES)
        )
        super().save_related(request, form, formsets, change)
        user = form.instance
        user.groups.add(*kept)
        if not request.user.is_superuser:
            if not user.is_superuser:
                user.user_permissions.clear()
            staff = user.is_superuser or user.groups.filter(name=ADMINISTRATOR).exists()
            if user.is_staff != staff:
                user.is_staff = staff
                user.save(update_fields=["is_staff"])
