"""The app shell's navigation: one list of destinations, grouped by what a person does there, with
the one the current page belongs to marked (aria-current). The roof (config) knows every app's
URL names; the apps know nothing of the shell."""

from dataclasses import dataclass
from functools import lru_cache

from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse


@dataclass(frozen=True)
class Destination:
    label: str
    url_name: str
    icon: str
    # View names besides url_name (or prefixes ending in ":" or "_") whose pages belong here.
    owns: tuple[str, ...] = ()

    def owns_view(self, view_name: str) -> bool:
        if view_name == self.url_name:
            return True
        return any(view_name == own or (own[-1] in ":_" and view_name.startswith(own)) for own in self.owns)


LEARN = (
    "Learn",
    (
        Destination("Ladder", "roadmap:ladder", "chart-bar-square", ("roadmap:level",)),
        Destination("Roadmap", "roadmap:roadmap", "map", ("roadmap:stage",)),
        Destination("Projects", "roadmap:projects", "briefcase"),
        Destination("Certifications", "roadmap:certifications", "check-badge"),
        Destination("Specializations", "roadmap:specializations", "sparkles"),
    ),
)
YOU = (
    "You",
    (
        Destination(
            "Dashboard",
            "progress:dashboard",
            "home",
            ("progress:item", "progress:kpi", "progress:skill_rate", "progress:measurement_"),
        ),
        Destination("Practice", "progress:practice", "chat-bubble-left-right"),
        Destination("Plan", "accounts:plan", "calendar-days"),
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
NOTIFICATIONS = Destination("Notifications", "mentoring:notifications", "bell")
ACCOUNT = Destination(
    "Profile",
    "accounts:profile",
    "user-circle",
    ("accounts:", "account_", "mfa_", "socialaccount_", "usersessions_"),
)


SHELL_URLS = {
    "home": "roadmap:ladder",
    "login": "account_login",
    "signup": "account_signup",
    "logout": "account_logout",
    "sources": "roadmap:sources",
    "role": "roadmap:role",
}


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    icon: str
    current: bool


@lru_cache(maxsize=64)
def _url(name: str, prefix: str) -> str:
    return reverse(name)


def _links(destinations, current: Destination | None) -> list[Link]:
    prefix = get_script_prefix()
    return [Link(d.label, _url(d.url_name, prefix), d.icon, d is current) for d in destinations]


def _groups(signed_in: bool) -> list:
    return [YOU, LEARN, PEOPLE] if signed_in else [LEARN]


@lru_cache(maxsize=128)
def _menu(signed_in: bool, current: Destination | None, prefix: str) -> str:
    """The groups of links, drawn once per (signed in or not, current destination, URL prefix):
    a pure function of those, so every process draws the same thing and nothing goes stale."""
    groups = [(heading, _links(destinations, current)) for heading, destinations in _groups(signed_in)]
    return render_to_string("_nav_groups.html", {"groups": groups})


def navigation(request):
    """`nav_menu` (the groups of links, drawn), `nav_notifications` and `nav_account` (signed in
    only). One destination is current: the first that owns the page (the plan's page is under
    accounts/, but it is the Plan, not the Profile)."""
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    user = getattr(request, "user", None)  # error pages can be drawn before the user is known
    signed_in = bool(user and user.is_authenticated)
    extras = [NOTIFICATIONS, ACCOUNT] if signed_in else []
    everything = [d for _, destinations in _groups(signed_in) for d in destinations] + extras
    current = next((d for d in everything if d.owns_view(view_name)), None)
    prefix = get_script_prefix()
    # The shell's other addresses, reversed once per process rather than by a {% url %} per page.
    urls = {name: _url(route, prefix) for name, route in SHELL_URLS.items()}
    context = {"nav_menu": _menu(signed_in, current, prefix), "nav_urls": urls}
    if signed_in:
        context["nav_notifications"], context["nav_account"] = _links(extras, current)
    return context
