from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Signing in: throttled logins, their failure audit, staff's second factor."""

    name = "masthead.accounts"
    label = "accounts"

    def ready(self):
        from masthead.accounts import receivers, services
        from masthead.core.periodic import periodic_job_register

        receivers.connect()
        periodic_job_register("accounts.login_failures_prune", services.login_failures_prune)
