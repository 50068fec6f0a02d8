from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import PlanSerializer, ProfileSerializer
from accounts.forms import PlanForm, ProfileForm
from roadmap.models import Level


class MyProfileView(APIView):
    @extend_schema(summary="My profile", responses=ProfileSerializer)
    def get(self, request):
        return Response(ProfileSerializer(request.user).data)

    @extend_schema(summary="Change my profile", request=ProfileSerializer, responses=ProfileSerializer)
    def patch(self, request):
        serializer = ProfileSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        # The web form holds the rules (suggested level from years, target not below current).
        values = {field: getattr(request.user, field) for field in ProfileForm.Meta.fields}
        values.update(serializer.validated_data)
        notices = _keep_target_valid(values, sent=serializer.validated_data)
        _save_through_form(ProfileForm, request.user, values)
        return Response(ProfileSerializer(request.user, context={"notices": notices}).data)


class MyPlanView(APIView):
    @extend_schema(summary="My plan: target date, weekly goal, weekly digest", responses=PlanSerializer)
    def get(self, request):
        return Response(PlanSerializer(request.user).data)

    @extend_schema(summary="Change my plan", request=PlanSerializer, responses=PlanSerializer)
    def patch(self, request):
        serializer = PlanSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = {field: getattr(request.user, field) for field in PlanForm.Meta.fields}
        values.update(serializer.validated_data)
        _save_through_form(PlanForm, request.user, values)
        return Response(PlanSerializer(request.user).data)


def _save_through_form(form_class, user, values: dict) -> None:
    """The web form holds the rules, so the API runs it with the current values and the changes
    on top; its errors become the API's 400."""
    form = form_class(
        {field: "" if v is None else getattr(v, "pk", v) for field, v in values.items() if v is not False},
        instance=user,
    )
    if not form.is_valid():
        raise ValidationError(
            {
                "non_field_errors" if field == "__all__" else field: [e["message"] for e in errors]
                for field, errors in form.errors.get_json_data().items()
            }
        )
    form.save()


def _keep_target_valid(values: dict, *, sent: dict) -> list[str]:
    """A new current level above the target (the target not sent) moves the target to the level
    after it, instead of failing on a target the learner did not touch."""
    current, target = values.get("current_level"), values.get("target_level")
    if "target_level" in sent or not current or not target or target.order >= current.order:
        return []
    values["target_level"] = Level.objects.filter(order__gt=current.order).order_by("order").first() or current
    return [f"Your target level moved from {target.title} to {values['target_level'].title}, above your current level."]
