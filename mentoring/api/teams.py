"""Teams in the API: the same services and lookups as the pages (mentoring/team_views.py)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from core.api_views import PagedRowsView
from core.http import base_url
from mentoring import services
from mentoring.api import serializers
from mentoring.api.views import invitation_created, service_call
from mentoring.models import Invitation, Membership, Team
from mentoring.selectors import matrix_for, membership, team_rows

TEAMS = ["teams"]


def _team_data(request, team: Team, role: str) -> dict:
    return serializers.TeamSerializer(team, context={"request": request, "roles": {team.pk: role}}).data


@extend_schema(tags=TEAMS)
@extend_schema_view(
    get=extend_schema(summary="My teams"),
    post=extend_schema(
        summary="Create a team (I lead it)",
        request=serializers.TeamCreateSerializer,
        responses={201: serializers.TeamSerializer},
    ),
)
class MyTeamsView(generics.ListAPIView):
    queryset = Team.objects.none()  # for the schema; get_queryset scopes to the caller
    serializer_class = serializers.TeamSerializer

    def get_queryset(self):
        return Team.objects.of_member(self.request.user).order_by("name", "pk")

    def get_serializer_context(self):
        roles = dict(Membership.objects.filter(user=self.request.user).values_list("team_id", "role"))
        return {**super().get_serializer_context(), "roles": roles}

    def post(self, request):
        data = serializers.TeamCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        team = service_call(lambda: services.team_create(user=request.user, **data.validated_data))
        location = reverse("api:me-team", args=[team.slug], request=request)
        return Response(
            _team_data(request, team, Membership.Role.LEAD),
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )


@extend_schema(tags=TEAMS)
@extend_schema_view(
    get=extend_schema(summary="One of my teams"),
    patch=extend_schema(summary="Rename a team I lead", request=serializers.TeamRenameSerializer),
)
class TeamView(APIView):
    serializer_class = serializers.TeamSerializer

    def get(self, request, slug):
        mine = membership(request.user, slug)
        return Response(_team_data(request, mine.team, mine.role))

    def patch(self, request, slug):
        mine = membership(request.user, slug, lead=True)
        data = serializers.TeamRenameSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if "name" in data.validated_data:  # PATCH: what is left out stays as it is
            service_call(lambda: services.team_rename(team=mine.team, name=data.validated_data["name"]))
        return Response(_team_data(request, mine.team, mine.role))


@extend_schema(tags=TEAMS)
@extend_schema_view(
    get=extend_schema(summary="Invitations to a team I lead"),
    post=extend_schema(
        summary="Invite someone to a team I lead",
        description="The same rules as a mentor invitation: single use, 7 days, bound to the address, "
        "at most 20 a day.",
        request=serializers.InvitationCreateSerializer,
        responses={201: serializers.InvitationSerializer},
    ),
)
class TeamInvitationsView(generics.ListAPIView):
    queryset = Invitation.objects.none()  # for the schema
    serializer_class = serializers.InvitationSerializer

    def get_queryset(self):
        return membership(self.request.user, self.kwargs["slug"], lead=True).team.invitations.all()

    def post(self, request, slug):
        mine = membership(request.user, slug, lead=True)
        data = serializers.InvitationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation, _ = service_call(
            lambda: services.invitation_create(
                inviter=request.user, email=data.validated_data["email"], base_url=base_url(request), team=mine.team
            )
        )
        return invitation_created(request, invitation)


@extend_schema(tags=TEAMS)
@extend_schema_view(get=extend_schema(summary="The members of one of my teams (names and roles)"))
class TeamMembersView(generics.ListAPIView):
    queryset = Membership.objects.none()  # for the schema
    serializer_class = serializers.MemberSerializer

    def get_queryset(self):
        team = membership(self.request.user, self.kwargs["slug"]).team
        return team.memberships.select_related("user").order_by("role", "joined_at", "pk")


@extend_schema(tags=TEAMS, request=None, responses={204: None})
class TeamMemberActionView(APIView):
    action = "remove"

    @extend_schema(summary="Remove a member, or make them a lead (a lead's action)")
    def post(self, request, slug, user_id):
        mine = membership(request.user, slug, lead=True)
        member = get_object_or_404(mine.team.memberships.select_related("user", "team"), user_id=user_id)
        if self.action == "promote":
            services.member_promote(membership=member)
        else:
            service_call(lambda: services.member_remove(membership=member, by=request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    tags=TEAMS,
    summary="Leave a team",
    description="The last lead names a successor among the members (or is the last member).",
    request=serializers.LeaveSerializer,
    responses={204: None},
)
class TeamLeaveView(APIView):
    def post(self, request, slug):
        mine = membership(request.user, slug)
        data = serializers.LeaveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        successor_id = data.validated_data.get("successor")
        successor = mine.team.memberships.filter(user_id=successor_id).first() if successor_id else None
        service_call(lambda: services.member_leave(membership=mine, successor=successor))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    tags=TEAMS,
    summary="A team's overview: one row per member (a lead's view)",
    description="The same numbers as each member's summary; notes are never included.",
    responses=serializers.OverviewRowSerializer(many=True),
)
class TeamOverviewView(PagedRowsView):
    def get(self, request, slug):
        mine = membership(request.user, slug, lead=True)
        page = self.paginate_queryset(team_rows(mine.team))
        return self.get_paginated_response(serializers.OverviewRowSerializer(page, many=True).data)


@extend_schema(
    tags=TEAMS,
    summary="A team's skill-gap matrix (a lead's view)",
    parameters=[OpenApiParameter("level", str, description="Level slug; default: the level most members are at")],
    responses=serializers.SkillMatrixSerializer,
)
class TeamSkillsView(APIView):
    def get(self, request, slug):
        mine = membership(request.user, slug, lead=True)
        matrix, _ = matrix_for(mine.team, request.query_params.get("level"))
        if matrix is None:
            return Response({"level": "", "skills": [], "members": []})
        data = {
            "level": matrix.level.slug,
            "skills": [
                {
                    "skill": ls.skill.slug,
                    "name": ls.skill.name,
                    "expected": expected,
                    "average": average,
                    "below": below,
                    "unrated": unrated,
                }
                for ls, expected, average, below, unrated in zip(
                    matrix.skills, matrix.expected, matrix.averages, matrix.gaps, matrix.unrated, strict=True
                )
            ],
            "members": [
                {"member": serializers.person(user), "ratings": [c.rating for c in cells]}
                for user, cells in matrix.rows
            ],
        }
        return Response(serializers.SkillMatrixSerializer(data).data)
