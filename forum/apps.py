from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = "Forum"

    def ready(self) -> None:
        # Registers the notification tasks in every process: services hand them over by name
        # (forum.dispatch) and never import them, and eager runs (tests, `make run` without
        # Redis) need them registered in-process.
        from .notifications import tasks  # noqa: F401
