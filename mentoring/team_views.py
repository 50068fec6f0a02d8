"""Team pages. A team is looked up through the signed-in person's own membership, and its
overview, skill gaps, member pages and export through a lead's, so anyone else gets a 404."""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.forms import errors_text, validated_write
from core.http import base_url
from mentoring import services
from mentoring.forms import TeamForm, TeamInvitationForm, TeamRenameForm
from mentoring.models import Invitation, Membership
from mentoring.selectors import COLUMNS, matrix_for, member_of, membership, team_rows, team_table
from mentoring.views import readonly_dashboard
from progress.export import safe_cell
from progress.views import packet_response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def teams(request):
    form = TeamForm(request.POST if request.method == "POST" else None)
    team = request.method == "POST" and validated_write(
        form, lambda data: services.team_create(user=request.user, name=data["name"], slug=data["slug"])
    )
    if team:
        messages.success(request, f"Team {team.name} created. Invite its members.")
        return redirect("mentoring:team", team.slug)
    context = {
        "form": form,
        "memberships": Membership.objects.filter(user=request.user).select_related("team").order_by("team__name"),
        "received": Invitation.objects.addressed_to(request.user)
        .filter(kind=Invitation.Kind.TEAM)
        .select_related("inviter", "team"),
    }
    return render(request, "mentoring/teams.html", context)


@require_safe
@login_required
def team(request, slug):
    """What every member sees: the name, its leads and members. A lead also manages it here."""
    mine = membership(request.user, slug)
    context = {
        "team": mine.team,
        "mine": mine,
        "members": mine.team.memberships.select_related("user").order_by("role", "user__name", "user__email"),
    }
    if mine.role == Membership.Role.LEAD:
        context |= {
            "invite_form": TeamInvitationForm(),
            "rename_form": TeamRenameForm(initial={"name": mine.team.name}),
            "invitations": mine.team.invitations.select_related("inviter")[:50],
        }
    return render(request, "mentoring/team.html", context)


@require_POST
@login_required
def team_invite(request, slug):
    mine = membership(request.user, slug, lead=True)
    form = TeamInvitationForm(request.POST)
    sent = validated_write(
        form,
        lambda data: services.invitation_create(
            inviter=request.user, email=data["email"], base_url=base_url(request), team=mine.team
        ),
    )
    if sent:
        messages.success(request, f"Invitation sent to {form.cleaned_data['email'].lower()}.")
    else:
        messages.error(request, errors_text(form))
    return redirect("mentoring:team", slug)


@require_POST
@login_required
def team_rename(request, slug):
    mine = membership(request.user, slug, lead=True)
    form = TeamRenameForm(request.POST)
    if validated_write(form, lambda data: services.team_rename(team=mine.team, name=data["name"])):
        messages.success(request, "Team renamed.")
    else:
        messages.error(request, errors_text(form))
    return redirect("mentoring:team", slug)


@require_POST
@login_required
def team_leave(request, slug):
    mine = membership(request.user, slug)
    successor_id = request.POST.get("successor")
    # isdigit() alone admits "²", which int() refuses: only ASCII digits name a member.
    named = successor_id and successor_id.isascii() and successor_id.isdigit()
    successor = mine.team.memberships.filter(user_id=successor_id).first() if named else None
    try:
        services.member_leave(membership=mine, successor=successor)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("mentoring:team", slug)
    messages.success(request, f"You left {mine.team.name}.")
    return redirect("mentoring:teams")


@require_POST
@login_required
def member_remove(request, slug, user_id):
    mine = membership(request.user, slug, lead=True)
    member = member_of(mine, user_id)
    try:
        services.member_remove(membership=member, by=request.user)
        messages.success(request, f"{member.user.get_short_name()} is no longer in {mine.team.name}.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("mentoring:team", slug)


@require_POST
@login_required
def member_promote(request, slug, user_id):
    mine = membership(request.user, slug, lead=True)
    member = services.member_promote(membership=member_of(mine, user_id))
    messages.success(request, f"{member.user.get_short_name()} is now a lead of {mine.team.name}.")
    return redirect("mentoring:team", slug)


@require_safe
@login_required
def overview(request, slug):
    mine = membership(request.user, slug, lead=True)
    sort = request.GET.get("sort", "member")
    sort = sort if sort in {name for name, _, _ in COLUMNS} else "member"
    descending = request.GET.get("order") == "desc"

    def render_table(rows):
        context = {
            "team": mine.team,
            "rows": rows,
            "columns": [(key, heading) for key, heading, _ in COLUMNS],
            "sort": sort,
            "descending": descending,
        }
        return render_to_string("mentoring/_team_table.html", context)

    # The table of a big team costs more to render than to read: cached per sort until a member changes.
    table = team_table(mine.team, render_table, sort, descending)
    return render(request, "mentoring/team_overview.html", {"team": mine.team, "table": mark_safe(table)})


CSV_COLUMNS = [
    "member",
    "current_level",
    "target_level",
    "progress_percent",
    "done",
    "verified",
    "skills_met",
    "skills_total",
    "items_met",
    "items_total",
    "kpis_on_target",
    "kpis_total",
    "last_activity",
]


@require_safe
@login_required
@never_cache
def overview_csv(request, slug):
    mine = membership(request.user, slug, lead=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in team_rows(mine.team):
        parts = {p.key: p for p in (row.readiness.parts if row.readiness else [])}
        overall = row.progress.overall if row.progress else None
        values = [
            row.user.get_short_name(),
            row.level.slug if row.level else "",
            row.target_level.slug if row.target_level else "",
            overall.percent if overall and overall.percent is not None else "",
            overall.done if overall else "",
            overall.verified if overall else "",
            *(
                v
                for key in ("skills", "items")
                for v in ((parts[key].met, parts[key].total) if key in parts else ("", ""))
            ),
            row.kpis_on_target,
            row.kpis_total,
            row.last_activity.isoformat() if row.last_activity else "",
        ]
        writer.writerow([safe_cell(str(v)) for v in values])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="team-{mine.team.slug}-{timezone.now():%Y-%m-%d}.csv"'
    return response


@require_safe
@login_required
def skills(request, slug):
    mine = membership(request.user, slug, lead=True)
    matrix, levels = matrix_for(mine.team, request.GET.get("level"))
    columns = (
        list(zip(matrix.skills, matrix.expected, matrix.averages, matrix.gaps, matrix.unrated, strict=True))
        if matrix
        else []
    )
    context = {"team": mine.team, "matrix": matrix, "levels": levels, "columns": columns}
    return render(request, "mentoring/team_skills.html", context)


@require_safe
@login_required
def member(request, slug, user_id):
    mine = membership(request.user, slug, lead=True)
    member = member_of(mine, user_id)
    context = {"team": mine.team, "member": member.user, "body": readonly_dashboard(member.user)}
    return render(request, "mentoring/team_member.html", context)


@require_safe
@login_required
@never_cache
def member_packet(request, slug, user_id, as_pdf=False):
    """A member's promotion packet as a lead sees it: without evidence links, as the lead's view
    of a member never shows what the learner wrote or linked."""
    mine = membership(request.user, slug, lead=True)
    member = member_of(mine, user_id)
    return packet_response(
        request,
        member.user,
        as_pdf=as_pdf,
        pdf_url=reverse("mentoring:team_member_packet_pdf", args=[slug, user_id]),
        back_url=reverse("mentoring:team_member", args=[slug, user_id]),
        show_evidence=False,
    )
