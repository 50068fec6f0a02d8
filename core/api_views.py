"""Base views for API endpoints. Apart from core.api: DRF's settings name core.api's classes, so
it cannot import DRF's views, which read those settings as they load."""

from rest_framework import generics


# An endpoint whose list is built in Python (often cached), paged like every other list
# (`self.get_paginated_response(self.paginate_queryset(rows))`) but not filtered. (A comment, not
# a docstring: the schema would show it as the operation's description.)
class PagedRowsView(generics.GenericAPIView):
    filter_backends = ()
