from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Registers the account-mail tasks in every process: services hand them over by name
        # (accounts.dispatch) and eager runs (tests, `make run` without Redis) run them here.
        from . import tasks  # noqa: F401
