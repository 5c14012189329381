from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community care"

    def ready(self) -> None:
        # Registers the moderation tasks in every process, so the forum can dispatch them by
        # name (it never imports community) and eager mode runs them in-process.
        from . import tasks  # noqa: F401
