from django.apps import AppConfig
from django.core import signals
from django.db.models.signals import m2m_changed, post_delete, post_save


class RoadmapConfig(AppConfig):
    name = "roadmap"
    verbose_name = "Career content"

    def ready(self):
        from roadmap import cache
        from roadmap.cache import bump_content_version

        signals.request_started.connect(cache.request_started, dispatch_uid="content-version-request-started")
        signals.request_finished.connect(cache.request_finished, dispatch_uid="content-version-request-finished")

        # Only cache invalidation is hung on signals: it must follow every write path
        # (admin, inlines, loaddata, the shell) and carries no business rule.
        for model in self.get_models():
            if model is self.get_model("ContentVersion"):
                continue
            post_save.connect(bump_content_version, sender=model, dispatch_uid=f"content-save-{model.__name__}")
            post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"content-delete-{model.__name__}")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    bump_content_version, sender=field.remote_field.through, dispatch_uid=f"content-m2m-{field}"
                )
