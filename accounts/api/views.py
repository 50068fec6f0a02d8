from drf_spectacular.utils import extend_schema, extend_schema_view

from accounts.api.serializers import PlanSerializer, ProfileSerializer
from accounts.forms import PlanForm, ProfileForm
from core.form_api import FormBackedView
from roadmap.models import Level


@extend_schema_view(
    get=extend_schema(summary="My profile"),
    patch=extend_schema(summary="Change my profile"),
)
class MyProfileView(FormBackedView):
    serializer_class = ProfileSerializer
    form_class = ProfileForm

    def adjust(self, values: dict, *, sent: dict) -> dict:
        """A new current level above the target (the target not sent) moves the target to the
        level after it, instead of failing on a target the learner did not touch."""
        current, target = values.get("current_level"), values.get("target_level")
        if "target_level" in sent or not current or not target or target.order >= current.order:
            return {"notices": []}
        values["target_level"] = Level.objects.filter(order__gt=current.order).order_by("order").first() or current
        moved = f"Your target level moved from {target.title} to {values['target_level'].title}"
        return {"notices": [f"{moved}, above your current level."]}


@extend_schema_view(
    get=extend_schema(summary="My plan: target date, weekly goal, weekly digest"),
    patch=extend_schema(summary="Change my plan"),
)
class MyPlanView(FormBackedView):
    serializer_class = PlanSerializer
    form_class = PlanForm
