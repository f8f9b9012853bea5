from django.contrib.admin.apps import AdminConfig


class OperatorAdminConfig(AdminConfig):
    """The Django admin with the operator's site: superusers only (config/admin_site.py)."""

    default_site = "config.admin_site.OperatorAdminSite"
