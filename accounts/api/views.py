from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import ProfileSerializer
from accounts.forms import ProfileForm


class MyProfileView(APIView):
    @extend_schema(summary="My profile", responses=ProfileSerializer)
    def get(self, request):
        return Response(ProfileSerializer(request.user).data)

    @extend_schema(summary="Change my profile", request=ProfileSerializer, responses=ProfileSerializer)
    def patch(self, request):
        serializer = ProfileSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        # The web form holds the rules (suggested level from years, target not below current),
        # so the API runs it with the current values and the changes on top.
        values = {field: getattr(request.user, field) for field in ProfileForm.Meta.fields}
        values.update(serializer.validated_data)
        form = ProfileForm(
            {field: "" if v is None else getattr(v, "pk", v) for field, v in values.items()}, instance=request.user
        )
        if not form.is_valid():
            raise ValidationError(
                {
                    "non_field_errors" if field == "__all__" else field: [e["message"] for e in errors]
                    for field, errors in form.errors.get_json_data().items()
                }
            )
        form.save()
        return Response(ProfileSerializer(request.user).data)
