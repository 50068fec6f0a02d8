"""The one API router: /api/v1/..."""

from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from accounts.api.views import MyPlanView, MyProfileView
from mentoring.api import teams
from mentoring.api import views as mentoring
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
router.register("role-areas", content.RoleAreaViewSet, basename="role-area")
router.register("tips", content.TipViewSet, basename="tip")
router.register("criteria", content.CriterionViewSet, basename="criterion")
router.register("me/progress", progress.MyProgressViewSet, basename="me-progress")
router.register("me/skills", progress.MySkillRatingViewSet, basename="me-skill")
router.register("me/kpi-measurements", progress.MyKPIMeasurementViewSet, basename="me-kpi-measurement")

ROOT_ENTRIES = {
    "sources": "api:source-list",
    "levels": "api:level-list",
    "skills": "api:skill-list",
    "kpis": "api:kpi-list",
    "stages": "api:stage-list",
    "steps": "api:step-list",
    "deliverables": "api:deliverable-list",
    "projects": "api:project-list",
    "certifications": "api:certification-list",
    "interview_questions": "api:interview-question-list",
    "specializations": "api:specialization-list",
    "role_areas": "api:role-area-list",
    "tips": "api:tip-list",
    "me_profile": "api:me-profile",
    "me_plan": "api:me-plan",
    "me_progress": "api:me-progress-list",
    "me_skills": "api:me-skill-list",
    "me_kpi_measurements": "api:me-kpi-measurement-list",
    "me_summary": "api:me-summary",
    "me_export": "api:me-export",
    "me_practice": "api:me-practice-due",
    "me_invitations": "api:me-invitations",
    "me_invitations_received": "api:me-invitations-received",
    "me_mentorships": "api:me-mentorships",
    "me_mentees": "api:me-mentees",
    "me_reviews": "api:me-reviews",
    "me_notifications": "api:me-notifications",
    "me_mentoring_preferences": "api:me-mentoring-preferences",
    "me_teams": "api:me-teams",
    "schema": "api-schema",
    "docs": "api-docs",
}


class ApiRootView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Every resource of the API, by name",
        responses=inline_serializer("ApiRoot", {name: serializers.URLField() for name in ROOT_ENTRIES}),
    )
    def get(self, request):
        return Response({name: reverse(route, request=request) for name, route in ROOT_ENTRIES.items()})


app_name = "api"
urlpatterns = [
    path("", ApiRootView.as_view(), name="root"),
    path("me/profile/", MyProfileView.as_view(), name="me-profile"),
    path("me/plan/", MyPlanView.as_view(), name="me-plan"),
    path("me/summary/", progress.MySummaryView.as_view(), name="me-summary"),
    path("me/export/", progress.MyExportView.as_view(), name="me-export"),
    path("me/practice/", progress.MyPracticeDueView.as_view(), name="me-practice-due"),
    path("me/practice/<slug:key>/", progress.MyPracticeCardView.as_view(), name="me-practice-card"),
    path("me/practice/<slug:key>/grade/", progress.MyPracticeGradeView.as_view(), name="me-practice-grade"),
    path("me/invitations/", mentoring.MyInvitationsView.as_view(), name="me-invitations"),
    path("me/invitations/<int:pk>/", mentoring.InvitationView.as_view(), name="me-invitation"),
    path(
        "me/invitations/<int:pk>/withdraw/", mentoring.InvitationWithdrawView.as_view(), name="me-invitation-withdraw"
    ),
    path("me/invitations-received/", mentoring.ReceivedInvitationsView.as_view(), name="me-invitations-received"),
    path(
        "me/invitations-received/<int:pk>/accept/",
        mentoring.InvitationAnswerView.as_view(accept=True),
        name="me-invitation-accept",
    ),
    path(
        "me/invitations-received/<int:pk>/decline/",
        mentoring.InvitationAnswerView.as_view(accept=False),
        name="me-invitation-decline",
    ),
    path("me/mentorships/", mentoring.MyMentorshipsView.as_view(), name="me-mentorships"),
    path("me/mentorships/<int:pk>/", mentoring.MentorshipNotesView.as_view(), name="me-mentorship"),
    path("me/mentorships/<int:pk>/end/", mentoring.MentorshipEndView.as_view(), name="me-mentorship-end"),
    path("me/mentees/", mentoring.MyMenteesView.as_view(), name="me-mentees"),
    path("me/mentees/<int:pk>/summary/", mentoring.MenteeSummaryView.as_view(), name="me-mentee-summary"),
    path("me/mentees/<int:pk>/queue/", mentoring.MenteeQueueView.as_view(), name="me-mentee-queue"),
    path("me/mentees/<int:pk>/reviews/", mentoring.MenteeReviewsView.as_view(), name="me-mentee-reviews"),
    path("me/mentees/<int:pk>/skills/", mentoring.MenteeSkillsView.as_view(), name="me-mentee-skills"),
    path("me/mentees/<int:pk>/threads/", mentoring.MenteeThreadsView.as_view(), name="me-mentee-threads"),
    path("me/threads/", mentoring.MyThreadsView.as_view(), name="me-threads"),
    path(
        "me/notification-preferences/",
        mentoring.MyNotificationPreferencesView.as_view(),
        name="me-notification-preferences",
    ),
    path("me/review-requests/", mentoring.MyReviewRequestsView.as_view(), name="me-review-requests"),
    path("me/review-requests/<slug:key>/", mentoring.MyReviewRequestView.as_view(), name="me-review-request"),
    path(
        "me/mentees/<int:pk>/threads/<slug:key>/messages/",
        mentoring.MenteeThreadMessagesView.as_view(),
        name="me-mentee-thread-messages",
    ),
    path("me/threads/<slug:key>/messages/", mentoring.MyThreadMessagesView.as_view(), name="me-thread-messages"),
    path("me/messages/<int:pk>/", mentoring.MyMessageView.as_view(), name="me-message"),
    path("me/mentees/<int:pk>/skills/<slug:slug>/", mentoring.MenteeSkillView.as_view(), name="me-mentee-skill"),
    path("me/mentees/<int:pk>/reviews/<int:review>/", mentoring.MenteeReviewView.as_view(), name="me-mentee-review"),
    path("me/reviews/", mentoring.MyReviewsView.as_view(), name="me-reviews"),
    path("me/notifications/", mentoring.MyNotificationsView.as_view(), name="me-notifications"),
    path("me/notifications/read/", mentoring.MarkNotificationsReadView.as_view(), name="me-notifications-read"),
    path(
        "me/mentoring-preferences/",
        mentoring.MyMentoringPreferencesView.as_view(),
        name="me-mentoring-preferences",
    ),
    path("me/teams/", teams.MyTeamsView.as_view(), name="me-teams"),
    path("me/teams/<slug:slug>/", teams.TeamView.as_view(), name="me-team"),
    path("me/teams/<slug:slug>/invitations/", teams.TeamInvitationsView.as_view(), name="me-team-invitations"),
    path("me/teams/<slug:slug>/members/", teams.TeamMembersView.as_view(), name="me-team-members"),
    path(
        "me/teams/<slug:slug>/members/<int:user_id>/remove/",
        teams.TeamMemberActionView.as_view(action="remove"),
        name="me-team-member-remove",
    ),
    path(
        "me/teams/<slug:slug>/members/<int:user_id>/promote/",
        teams.TeamMemberActionView.as_view(action="promote"),
        name="me-team-member-promote",
    ),
    path("me/teams/<slug:slug>/leave/", teams.TeamLeaveView.as_view(), name="me-team-leave"),
    path("me/teams/<slug:slug>/overview/", teams.TeamOverviewView.as_view(), name="me-team-overview"),
    path("me/teams/<slug:slug>/skills/", teams.TeamSkillsView.as_view(), name="me-team-skills"),
    *router.urls,
]
