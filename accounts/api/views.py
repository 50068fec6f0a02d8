from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import PlanSerializer, ProfileSerializer
from accounts.forms import PlanForm, ProfileForm
from roadmap.models import Level


# GET and PATCH of part of the learner's own row. The web form holds the rules (the profile form
# suggests a level from years and keeps the target above the current level), so PATCH runs it with
# the current values and the changes on top, and its errors become the API's 400. (A comment, not a
# docstring: the schema would show it as every operation's description.)
class FormBackedView(APIView):
    serializer_class: type = ProfileSerializer
    form_class: type = ProfileForm

    def get(self, request):
        return Response(self.serializer_class(request.user).data)

    def patch(self, request):
        serializer = self.serializer_class(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = {field: getattr(request.user, field) for field in self.form_class.Meta.fields}
        values.update(serializer.validated_data)
        context = self.adjust(values, sent=serializer.validated_data)
        form = self.form_class(
            {field: "" if v is None else getattr(v, "pk", v) for field, v in values.items() if v is not False},
            instance=request.user,
        )
        if not form.is_valid():
            raise ValidationError(
                {
                    "non_field_errors" if field == "__all__" else field: [e["message"] for e in errors]
                    for field, errors in form.errors.get_json_data().items()
                }
            )
        form.save()
        return Response(self.serializer_class(request.user, context=context).data)

    def adjust(self, values: dict, *, sent: dict) -> dict:
        """Changes to make to `values` beyond what was sent; returns the response's context."""
        return {}


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
