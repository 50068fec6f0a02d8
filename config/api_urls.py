"""The one API router: /api/v1/..."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api.views import MyProfileView
from progress.api import views as progress
from roadmap.api import views as content

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("sources", content.SourceViewSet, basename="source")
router.register("levels", content.LevelViewSet, basename="level")
router.register("skills", content.SkillViewSet, basename="skill")
router.register("kpis", content.KPIViewSet, basename="kpi")
router.register("stages", content.StageViewSet, basename="stage")
router.register("steps", content.StepViewSet, basename="step")
router.register("deliverables", content.DeliverableViewSet, basename="deliverable")
router.register("projects", content.ProjectViewSet, basename="project")
router.register("certifications", content.CertificationViewSet, basename="certification")
router.register("interview-questions", content.InterviewQuestionViewSet, basename="interview-question")
router.register("specializations", content.SpecializationViewSet, basename="specialization")
router.register("me/progress", progress.MyProgressViewSet, basename="me-progress")
router.register("me/skills", progress.MySkillRatingViewSet, basename="me-skill")
router.register("me/kpi-measurements", progress.MyKPIMeasurementViewSet, basename="me-kpi-measurement")

app_name = "api"
urlpatterns = [
    path("me/profile/", MyProfileView.as_view(), name="me-profile"),
    path("me/summary/", progress.MySummaryView.as_view(), name="me-summary"),
    path("me/export/", progress.MyExportView.as_view(), name="me-export"),
    *router.urls,
]
