from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    # allauth has an "Accounts" section of its own (e-mail addresses): one name, one section each.
    verbose_name = "Learners and API tokens"

    def ready(self):
        from allauth.account.signals import password_reset

        from accounts.services import api_tokens_revoke_all

        # allauth's documented hook for a completed reset; sessions already end with the old password
        # hash (Django checks it on every request), tokens do not.
        password_reset.connect(
            lambda request, user, **kwargs: api_tokens_revoke_all(user=user),
            dispatch_uid="accounts-revoke-tokens-on-password-reset",
            weak=False,
        )
