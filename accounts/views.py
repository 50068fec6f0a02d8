from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.forms import ApiTokenForm, DeleteAccountForm, PlanForm, ProfileForm, SharingForm
from accounts.models import ApiToken
from accounts.services import api_token_create, calendar_token_set, user_delete
from core.forms import validated_write
from roadmap.models import Level


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def onboarding(request):
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save(commit=False)
        user.onboarded_at = user.onboarded_at or timezone.now()
        user.save()
        messages.success(request, f"Welcome! You are on the {user.current_level} level.")
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/onboarding.html", {"form": form})


@require_safe
def suggest_level(request):
    """htmx: the level the entered years point to, shown while the learner types."""
    try:
        years = int(request.GET.get("years_of_experience", ""))
    except ValueError:
        years = None
    level = Level.objects.for_years(years) if years is not None and 0 <= years <= 60 else None
    return render(request, "accounts/_level_suggestion.html", {"suggested": level})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request):
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Profile saved.")
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "plan_form": PlanForm(instance=request.user),
            "sharing_form": SharingForm(instance=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan(request):
    """The plan's own form; a mistake shows it again with what was typed."""
    form = PlanForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Plan saved.")
        return redirect(reverse("accounts:profile") + "#plan-heading")
    return render(request, "accounts/plan.html", {"plan_form": form})


@login_required
@require_POST
def sharing(request):
    form = SharingForm(request.POST, instance=request.user)
    if form.is_valid():
        user = form.save()
        messages.success(request, "Your public page is on." if user.public_sharing else "Your public page is off.")
    return redirect("accounts:profile")


@login_required
@require_POST
def calendar(request):
    """Turn the private calendar address on, give a new one (the old one stops), or turn it off."""
    enabled = request.POST.get("action") in ("on", "new")
    had = request.user.calendar_token
    calendar_token_set(user=request.user, enabled=enabled)
    if not enabled:
        messages.success(request, "Your calendar address is off: calendars subscribed to it get nothing more.")
    elif had:
        messages.success(request, "A new calendar address: the old one stopped working. Subscribe again with this one.")
    else:
        messages.success(request, "Your calendar address is ready: add it to your calendar app.")
    return redirect(reverse("accounts:profile") + "#calendar-heading")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and validated_write(form, lambda _: user_delete(user=request.user)):
        logout(request)
        messages.success(request, "Your account and everything you recorded have been deleted.")
        return redirect("roadmap:ladder")
    return render(request, "accounts/delete.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def api_tokens(request):
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        # Rendered, not redirected: the token exists in clear only in this one response.
        _, new_token = api_token_create(
            user=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
        )
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user).usable()
    response = render(request, "accounts/tokens.html", {"form": form, "tokens": tokens, "new_token": new_token})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def api_token_revoke(request, token_key):
    deleted, _ = ApiToken.objects.filter(user=request.user, token_key=token_key).delete()
    if not deleted:
        raise Http404("No such token.")
    messages.success(request, "Token revoked: scripts using it can no longer sign in.")
    return redirect("accounts:tokens")
