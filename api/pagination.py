from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """Pages that stay stable while rows are added: a cursor over the primary key. A page size
    that is not a whole number from 1 to 200 is refused, not silently replaced."""

    ordering = "pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        given = request.query_params.getlist(self.page_size_query_param)
        if not given:
            return self.page_size
        if len(given) == 1 and given[0].isascii() and given[0].isdigit():
            size = int(given[0])
            if 1 <= size <= self.max_page_size:
                return size
        raise ValidationError(
            {
                self.page_size_query_param: _(
                    "Sidestørrelsen må være et helt tall fra 1 til %(max)s."
                )
                % {"max": self.max_page_size}
            }
        )

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters
