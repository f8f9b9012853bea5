from django.contrib import admin

from partnerships.models import Council, Organisation, Partnership, PartnershipMember, Theme


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name"]
    search_fields = ["name", "short_name"]


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


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["reference", "name", "status", "scope", "basis", "lead_officer", "next_review_due"]
    list_filter = ["status", "scope", "basis", "membership", "level", "councils", "themes"]
    search_fields = ["name", "reference"]
    readonly_fields = ["reference", "screening_confirmed_at", "created_by", "created_at", "updated_at"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["councils", "themes"]
    inlines = [PartnershipMemberInline]
    list_select_related = ["lead_officer"]
