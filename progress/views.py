from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from progress import export


def _attachment(response, name: str):
    stem, ext = name.rsplit(".", 1)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{timezone.now():%Y-%m-%d}.{ext}"'
    return response


@require_GET
@login_required
@never_cache
def export_json(request):
    data = export.export_data(request.user)
    return _attachment(JsonResponse(data, json_dumps_params={"indent": 2}), "ml-career-ladder-data.json")


@require_GET
@login_required
@never_cache
def export_csv(request):
    return _attachment(
        HttpResponse(export.export_csv(request.user), content_type="text/csv; charset=utf-8"),
        "ml-career-ladder-progress.csv",
    )


@require_GET
def public_profile(request, slug):
    learner = get_object_or_404(
        get_user_model().objects.select_related("current_level", "target_level", "specialization"),
        public_sharing=True,
        public_slug=slug,
    )
    return render(request, "progress/public.html", {"learner": learner})
