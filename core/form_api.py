from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView


# GET and PATCH of part of the signed-in person's own row. The web form holds the rules (the profile form
# suggests a level from years and keeps the target above the current level), so PATCH runs it with
# the current values and the changes on top, and its errors become the API's 400. (A comment, not a
# docstring: the schema would show it as every operation's description.)
class FormBackedView(APIView):
    serializer_class: type
    form_class: type

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
