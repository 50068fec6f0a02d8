from django.apps import AppConfig


class MentoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mentoring"
    verbose_name = "Mentoring and teams"

    def ready(self):
        from accounts.services import BEFORE_DELETE
        from mentoring.services import teams_before_account_delete

        if teams_before_account_delete not in BEFORE_DELETE:
            BEFORE_DELETE.append(teams_before_account_delete)
