from django.apps import AppConfig


class CommonConfig(AppConfig):
    """What every app uses and no app owns: the PDF renderer and its fetcher, access
    decorators, form fields for GOV.UK patterns and optimistic locking, query strings."""

    name = "common"
    verbose_name = "Shared"
