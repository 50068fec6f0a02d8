from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import reswap, retarget

from core.forms import validated_write
from progress import digest, export, ical, pdf, practice, services
from progress.forms import ItemProgressForm, KPIMeasurementForm, PracticeGradeForm, SkillRatingForm
from progress.models import ItemProgress, KPIMeasurement, PracticeCard, SkillRating, SkillRatingChange
from progress.reads import keys, rules
from progress.reads.packet import packet
from progress.reads.summary import KPIStatus, compute_summary, learner_summary
from progress.templatetags.progress_tags import kpi_value
from roadmap.cache import item_by_key
from roadmap.models import KPI, Criterion, Item, LevelSkill, Skill


def _safe_next(request, fallback: str) -> str:
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return fallback


def _onboarded(view):
    """The dashboard measures against the current level: ask for it first."""

    def wrapper(request, *args, **kwargs):
        if not request.user.current_level_id:
            return redirect("accounts:onboarding")
        return view(request, *args, **kwargs)

    return wrapper


@require_safe
@login_required
@_onboarded
@never_cache
def dashboard(request):
    # Outside the cached body: questions fall due with time, not only with the learner's writes.
    due = practice.due_count(request.user, timezone.now())
    return render(request, "progress/dashboard.html", {"body": dashboard_body(request), "practice_due": due})


# Stands in for the CSRF token in the cached dashboard; each response puts its own token back.
CSRF_PLACEHOLDER = "csrf-token-placeholder-3f9c"


def dashboard_body(request, summary=None) -> str:
    """The dashboard's content, rendered once per version of the learner's records: it is the
    most visited page and the most expensive to render."""

    def render_body(learner):
        # Rendered without the request: the CSRF token must stay a placeholder, and the body may
        # show nothing of the learner but what its key covers (keys.LEARNER_STATE).
        # Computed, not read from the summary cache (unless given): this page's own cache entry has
        # the same versions, so that entry would be missing too.
        context = {
            "summary": summary or compute_summary(learner),
            "csrf_token": CSRF_PLACEHOLDER,
            "user": learner,
            "next": reverse("progress:dashboard"),
        }
        return render_to_string("progress/_dashboard_body.html", context)

    html = keys.DASHBOARD.of(request.user, render_body)
    # Safe: the HTML is our own template output; the token is letters and digits.
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))


def _on_dashboard(request) -> bool:
    return bool(request.htmx) and request.htmx.target == "dashboard"


def _id_prefix(request, default: str) -> str:
    """The slot a control sits in (see _item_controls.html); only letters, digits and dashes."""
    prefix = request.POST.get("id_prefix", "")
    return prefix if prefix and all(c.isalnum() or c in "-_" for c in prefix) else default


def _dashboard_update(request, done: str):
    """htmx on the dashboard: any change may move any number on it, so the whole dashboard is
    rendered again from one fresh summary, and a live region says what happened."""
    summary = learner_summary(request.user)
    context = {"body": dashboard_body(request, summary), "announcement": announcement(done, summary)}
    return render(request, "progress/_dashboard_update.html", context)


def announcement(done: str, summary) -> str:
    """What a screen reader hears after an in-place change: the change and where it leaves the learner."""
    parts = [done]
    if summary.progress and summary.progress.overall.percent is not None:
        parts.append(f"{summary.progress.overall.percent}% of {summary.level.title} done.")
    if summary.readiness and summary.readiness.next_level:
        counts = ", ".join(f"{p.short_label} {p.met} of {p.total}" for p in summary.readiness.parts)
        parts.append(f"Ready for {summary.readiness.next_level.title}: {counts}.")
    return " ".join(parts)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def item_detail(request, key):
    """One item's status, note and evidence. htmx swaps the controls in place; without
    JavaScript the form posts here and redirects back, or shows the errors here."""
    item = item_by_key(key)
    if item is None:
        raise Http404("No such item.")
    form = ItemProgressForm(request.POST if request.method == "POST" else None)
    next_url = _safe_next(request, reverse("progress:item", args=[key]))
    saved = request.method == "POST" and validated_write(
        form, lambda _: services.item_progress_set(user=request.user, item=item, **form.changes())
    )
    if saved and _on_dashboard(request):
        return _dashboard_update(request, f"“{item.title}”: {saved.get_status_display().lower()}.")
    if request.htmx:
        # The record just written (or the current one, if the form had an error) is what the
        # controls show: no need to read all of the learner's records as a full page does.
        progress = saved or ItemProgress.objects.for_user(request.user).filter(item=item).first()
        prefix = _id_prefix(request, item.key)
        context = {
            "item": item,
            "form": form if request.method == "POST" and not saved else None,
            "next": next_url,
            "progress": progress,
            "progress_known": True,
            "id_prefix": prefix,
            "swap_target": "#dashboard" if _on_dashboard(request) else None,
        }
        response = render(request, "progress/_item_swap.html", context)
        if _on_dashboard(request):  # an error: only the form that has it is shown again
            response = reswap(retarget(response, f"#controls-{prefix}"), "outerHTML")
        return response
    if saved:
        messages.success(request, f"Saved “{item.title}”.")
        return redirect(next_url + ("" if "#" in next_url else f"#item-{item.key}"))
    progress = ItemProgress.objects.for_user(request.user).filter(item=item).select_related("reviewed_by").first()
    if request.method == "GET":
        form = ItemProgressForm(
            initial={"note": progress.note, "evidence_url": progress.evidence_url} if progress else None
        )
    card = PracticeCard.objects.for_user(request.user).filter(item=item).first()
    context = {
        "item": item,
        "form": form,
        "progress": progress,
        "next": next_url,
        "card": card,
        "reviews": card.reviews.all() if card else [],
        "rubric": Criterion.objects.for_items([item]).select_related("source"),
    }
    return render(request, "progress/item_detail.html", context)


@require_POST
@login_required
def item_clear(request, key):
    item = get_object_or_404(Item, key=key)
    services.item_progress_clear(user=request.user, item=item)
    messages.success(request, f"Cleared “{item.title}”.")
    return redirect(_safe_next(request, reverse("progress:item", args=[key])))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def skill_rate(request, slug):
    """A skill's page (the learner's rating and its history), and where a rating is posted."""
    skill = get_object_or_404(Skill.objects.select_related("description_source"), slug=slug)
    if request.method != "POST":
        changes = list(SkillRatingChange.objects.filter(user=request.user, skill=skill).order_by("changed_at"))
        current = SkillRating.objects.for_user(request.user).filter(skill=skill).first()
        context = {
            "skill": skill,
            "rating": changes[-1].rating if changes else None,
            "current": current,
            "stale": current is not None and current.confirmed_at < rules.stale_before(timezone.localdate()),
            "changes": changes,
            "levels": LevelSkill.objects.filter(skill=skill).select_related("level", "source").order_by("level__order"),
        }
        return render(request, "progress/skill_detail.html", context)
    form = SkillRatingForm(request.POST)
    saved = validated_write(
        form, lambda data: services.skill_rating_set(user=request.user, skill=skill, rating=data["rating"])
    )
    confirmed = request.POST.get("confirm") == "1"
    done = (
        f"{skill.name}: still {saved.get_rating_display()}, confirmed."
        if saved and confirmed
        else f"{skill.name} rated {saved.get_rating_display()}."
        if saved
        else ""
    )
    if saved and _on_dashboard(request):
        return _dashboard_update(request, done)
    if request.htmx:
        prefix = _id_prefix(request, "")
        response = render(
            request,
            "progress/_skill_rating.html",
            {"skill": skill, "rating": saved.rating if saved else None, "form": form, "id_prefix": prefix},
        )
        if _on_dashboard(request):
            response = reswap(retarget(response, f"#{prefix}rating-{skill.slug}"), "outerHTML")
        return response
    if saved:
        messages.success(request, done)
    else:
        messages.error(request, f"{skill.name}: choose a rating from 0 to 4.")
    return redirect(_safe_next(request, reverse("progress:dashboard")) + f"#skill-{skill.slug}")


@require_POST
@login_required
def readiness_fresh(request):
    """The learner's choice: readiness counts every skill rating, or fresh ones only."""
    on = request.POST.get("fresh_only") == "1"
    services.readiness_fresh_only_set(user=request.user, on=on)
    days = settings.SKILL_FRESH_DAYS
    messages.success(
        request,
        f"Readiness counts only ratings confirmed in the last {days} days." if on else "Readiness counts every rating.",
    )
    return redirect(reverse("progress:dashboard") + "#readiness-skills")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def kpi_detail(request, slug):
    kpi = get_object_or_404(KPI.objects.select_related("level", "source"), slug=slug)
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        # The dashboard's quick form logs today's value; its HTML may be cached past midnight.
        data.setdefault("measured_on", timezone.localdate().isoformat())
    form = KPIMeasurementForm(data)
    saved = request.method == "POST" and validated_write(
        form, lambda data: services.kpi_measurement_create(user=request.user, kpi=kpi, **data)
    )
    if saved and _on_dashboard(request):
        return _dashboard_update(request, f"Logged {kpi.name}: {kpi_value(saved.value)} {kpi.get_unit_display()}.")
    if _on_dashboard(request):
        response = render(request, "progress/_kpi_quick_log.html", {"kpi": kpi, "form": form})
        return reswap(retarget(response, f"#log-{kpi.slug}"), "outerHTML")
    if saved:
        messages.success(request, f"Logged {kpi.name}.")
        return redirect(_safe_next(request, reverse("progress:kpi", args=[slug])))
    measurements = list(KPIMeasurement.objects.for_user(request.user).filter(kpi=kpi).order_by("measured_on", "pk"))
    context = {
        "kpi": kpi,
        "form": form,
        "measurements": measurements[::-1],
        "chart_status": KPIStatus(kpi=kpi, points=measurements),
    }
    return render(request, "progress/kpi_detail.html", context)


def _own_measurement(request, pk) -> KPIMeasurement:
    """Another learner's measurement is a 404, never a 403."""
    measurement = get_object_or_404(KPIMeasurement.objects.select_related("kpi"), pk=pk, user=request.user)
    measurement.user = request.user  # the owner is known: writes bump this very object's version
    return measurement


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def measurement_edit(request, pk):
    measurement = _own_measurement(request, pk)
    initial = {f: getattr(measurement, f) for f in ("value", "measured_on", "note", "evidence_url")}
    form = KPIMeasurementForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and validated_write(
        form, lambda data: services.kpi_measurement_update(measurement=measurement, **data)
    ):
        messages.success(request, "Measurement updated.")
        return redirect("progress:kpi", measurement.kpi.slug)
    return render(request, "progress/measurement_edit.html", {"measurement": measurement, "form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def measurement_delete(request, pk):
    """Asks first (GET), deletes on the confirmation (POST): a measurement is not undone."""
    measurement = _own_measurement(request, pk)
    if request.method != "POST":
        return render(request, "progress/measurement_delete.html", {"measurement": measurement})
    services.kpi_measurement_delete(measurement=measurement)
    messages.success(request, "Measurement deleted.")
    return redirect("progress:kpi", measurement.kpi.slug)


def _attachment(response, name: str):
    stem, ext = name.rsplit(".", 1)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{timezone.now():%Y-%m-%d}.{ext}"'
    return response


def packet_response(request, learner, *, as_pdf: bool, pdf_url: str, back_url: str, show_evidence: bool = True):
    """The promotion packet of `learner` as a page, or its PDF; the caller checked who may see it."""
    context = {
        "packet": packet(learner),
        "back_url": back_url,
        "pdf_url": pdf_url if pdf.pdf_available() else None,
        "show_evidence": show_evidence,
    }
    if not as_pdf:
        return render(request, "progress/packet.html", context)
    if not pdf.pdf_available():
        raise Http404("PDF is not available on this server")
    html = render_to_string("progress/packet.html", context, request=request)
    body = pdf.render_pdf(html, request.build_absolute_uri("/").rstrip("/"))
    return _attachment(HttpResponse(body, content_type="application/pdf"), "promotion-packet.pdf")


@require_safe
@login_required
@_onboarded
@never_cache
def my_packet(request, as_pdf=False):
    return packet_response(
        request,
        request.user,
        as_pdf=as_pdf,
        pdf_url=reverse("progress:packet_pdf"),
        back_url=reverse("progress:dashboard"),
    )


@require_safe
@never_cache
def calendar_feed(request, token):
    """The private calendar feed: no sign-in (calendar apps have none), the token is the key."""
    user = get_object_or_404(get_user_model().objects.select_related("target_level"), calendar_token=token)
    body = ical.feed(user, timezone.localdate(), request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
@login_required
@never_cache
def export_json(request):
    data = export.export_data(request.user)
    return _attachment(JsonResponse(data, json_dumps_params={"indent": 2}), "ml-career-ladder-data.json")


@require_safe
@login_required
@never_cache
def export_csv(request):
    return _attachment(
        HttpResponse(export.export_csv(request.user), content_type="text/csv; charset=utf-8"),
        "ml-career-ladder-progress.csv",
    )


@require_safe
def public_profile(request, slug):
    learner = get_object_or_404(
        get_user_model().objects.select_related("target_level", "specialization"),
        public_sharing=True,
        public_slug=slug,
    )
    summary = learner_summary(learner)
    done = (
        ItemProgress.objects.for_user(learner)
        .done()
        .annotate(verified=rules.holds(rules.verified()))
        .select_related("item")
        .order_by("-completed_at")
        if learner.public_show_evidence
        else []
    )
    return render(request, "progress/public.html", {"learner": learner, "summary": summary, "done_items": done})


@csrf_exempt  # the signed token is the credential; mail clients post here without a page (RFC 8058)
@require_http_methods(["GET", "HEAD", "POST"])
def digest_unsubscribe(request, token):
    """No sign-in needed. GET asks (link scanners follow links), POST unsubscribes."""
    learner = digest.user_for_unsubscribe_token(token)
    if learner is None:
        raise Http404("This unsubscribe link is not valid.")
    if request.method == "POST":
        get_user_model().objects.filter(pk=learner.pk).update(digest_opt_in=False)
        return render(request, "progress/digest_unsubscribed.html", {"learner": learner})
    return render(request, "progress/digest_unsubscribe.html", {"learner": learner, "token": token})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@_onboarded
@never_cache
def practice_session(request):
    """One due question at a time: read it, draft an answer, look at what a good answer covers,
    grade yourself. Plain forms, so it works without JavaScript; static/js/practice.js adds keys."""
    form = PracticeGradeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        item = get_object_or_404(Item.objects.current(), key=request.POST.get("item", ""), kind=Item.Kind.QUESTION)
        review = validated_write(
            form,
            lambda data: services.practice_grade(
                user=request.user, item=item, grade=data["grade"], answer=data["answer"]
            ),
        )
        if review:
            messages.success(
                request, f"{review.get_grade_display()}: next time on {timezone.localtime(review.due_after):%-d %b %Y}."
            )
            return redirect("progress:practice")
    item, card, remaining = practice.next_question(request.user, timezone.now())
    context = {
        "item": item,
        "card": card,
        "remaining": remaining,
        "form": form if form.is_bound else PracticeGradeForm(),
    }
    return render(request, "progress/practice.html", context)
