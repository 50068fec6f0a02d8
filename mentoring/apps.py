from django.apps import AppConfig


class MentoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mentoring"
    verbose_name = "Mentoring and teams"

    def ready(self):
        from accounts.services import BEFORE_DELETE
        from mentoring.export import mentoring_export
        from mentoring.selectors import review_request_events
        from mentoring.services import review_asked, teams_before_account_delete
        from progress.export import SECTIONS
        from progress.ical import SOURCES
        from progress.services import REVIEW_ASKED

        if teams_before_account_delete not in BEFORE_DELETE:
            BEFORE_DELETE.append(teams_before_account_delete)
        SECTIONS["mentoring"] = (mentoring_export, _export_field)
        if review_request_events not in SOURCES:
            SOURCES.append(review_request_events)
        if review_asked not in REVIEW_ASKED:
            REVIEW_ASKED.append(review_asked)


def _export_field():
    # Imported when the schema is made: the API's serializers import DRF's settings.
    from mentoring.api.serializers import ExportMentoringSerializer

    return ExportMentoringSerializer()
