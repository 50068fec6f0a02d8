"""The app shell's navigation: one list of destinations, grouped by what a person does there, with
the one the current page belongs to marked (aria-current). The roof (config) knows every app's
URL names; the apps know nothing of the shell."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Destination:
    label: str
    url_name: str
    icon: str
    # Other view names (or prefixes ending in ":" or "_") whose pages belong to this destination.
    owns: tuple[str, ...] = ()

    def owns_view(self, view_name: str) -> bool:
        if view_name == self.url_name:
            return True
        return any(view_name == own or (own[-1] in ":_" and view_name.startswith(own)) for own in self.owns)


LEARN = (
    "Learn",
    (
        Destination("Ladder", "roadmap:ladder", "chart-bar-square", ("roadmap:ladder", "roadmap:level")),
        Destination("Roadmap", "roadmap:roadmap", "map", ("roadmap:roadmap", "roadmap:stage")),
        Destination("Projects", "roadmap:projects", "briefcase", ("roadmap:projects",)),
        Destination("Certifications", "roadmap:certifications", "check-badge", ("roadmap:certifications",)),
        Destination("Specializations", "roadmap:specializations", "sparkles", ("roadmap:specializations",)),
    ),
)
YOU = (
    "You",
    (
        Destination(
            "Dashboard",
            "progress:dashboard",
            "home",
            ("progress:dashboard", "progress:item", "progress:kpi", "progress:skill_rate", "progress:measurement_"),
        ),
        Destination("Practice", "progress:practice", "chat-bubble-left-right", ("progress:practice",)),
        Destination("Plan", "accounts:plan", "calendar-days", ("accounts:plan",)),
    ),
)
PEOPLE = (
    "People",
    (
        Destination(
            "Mentors",
            "mentoring:mentors",
            "user-plus",
            ("mentoring:preferences", "mentoring:share_notes", "mentoring:invitation", "mentoring:invitation_"),
        ),
        Destination("Mentees", "mentoring:mentees", "academic-cap", ("mentoring:mentee", "mentoring:review")),
        Destination("Teams", "mentoring:teams", "user-group", ("mentoring:team", "mentoring:team_")),
    ),
)
NOTIFICATIONS = Destination("Notifications", "mentoring:notifications", "bell", ("mentoring:notifications",))
ACCOUNT = Destination(
    "Profile",
    "accounts:profile",
    "user-circle",
    ("accounts:", "account_", "mfa_", "socialaccount_", "usersessions_"),
)


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    icon: str
    current: bool


def _links(destinations, current: Destination | None) -> list[Link]:
    return [Link(d.label, reverse(d.url_name), d.icon, d is current) for d in destinations]


def navigation(request):
    """`nav_groups` [(heading, [Link])], `nav_notifications` and `nav_account` (signed in only).
    One destination is current: the first that owns the page (the plan's page is under accounts/,
    but it is the Plan, not the Profile)."""
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    user = getattr(request, "user", None)  # error pages can be drawn before the user is known
    signed_in = bool(user and user.is_authenticated)
    groups = [YOU, LEARN, PEOPLE] if signed_in else [LEARN]
    extras = [NOTIFICATIONS, ACCOUNT] if signed_in else []
    everything = [d for _, destinations in groups for d in destinations] + extras
    current = next((d for d in everything if d.owns_view(view_name)), None)
    context = {"nav_groups": [(heading, _links(destinations, current)) for heading, destinations in groups]}
    if signed_in:
        context["nav_notifications"], context["nav_account"] = _links(extras, current)
    return context
