from django.contrib import admin, messages

from checklists import services
from checklists.models import AssurancePolicy, Question, Section, Template


def in_use(template) -> bool:
    """A version that assessments have answered keeps its wording for ever."""
    return template is not None and template.assessments.exists()


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return not in_use(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not in_use(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not in_use(obj) and super().has_delete_permission(request, obj)


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0

    def has_add_permission(self, request, obj=None):
        return not in_use(obj and obj.template) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not in_use(obj and obj.template) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not in_use(obj and obj.template) and super().has_delete_permission(request, obj)


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "version", "is_current", "created_at"]
    list_filter = ["kind", "is_current"]
    readonly_fields = ["kind", "version", "is_current", "created_at"]
    inlines = [SectionInline]
    actions = ["make_new_version", "publish"]

    def has_change_permission(self, request, obj=None):
        return not in_use(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not in_use(obj) and super().has_delete_permission(request, obj)

    @admin.action(description="Copy as a new version (to change wording)", permissions=["add"])
    def make_new_version(self, request, queryset):
        for template in queryset:
            copy = services.template_new_version(template=template)
            messages.success(request, f"Made {copy}. Change its wording, then publish it.")

    @admin.action(description="Publish: use for new assessments", permissions=["add"])
    def publish(self, request, queryset):
        if queryset.values("kind").distinct().count() != queryset.count():
            messages.error(request, "Publish one version of each kind at a time.")
            return
        for template in queryset:
            services.template_publish(template=template)
            messages.success(request, f"{template} is now used for new assessments.")


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "template"]
    list_filter = ["template"]
    inlines = [QuestionInline]

    def has_change_permission(self, request, obj=None):
        return not in_use(obj and obj.template) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not in_use(obj and obj.template) and super().has_delete_permission(request, obj)


@admin.register(AssurancePolicy)
class AssurancePolicyAdmin(admin.ModelAdmin):
    """Each council's policy (its administrator sets it on the register's Manage pages)."""

    list_display = ["council", "below", "review_months"]
    list_select_related = ["council"]
