from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """Cursor pagination for every list: stable under inserts, and a deep page costs what the first does
    (an index range from the cursor's position, never an OFFSET over the rows before it)."""

    page_size = 25
    page_size_query_param = "limit"
    max_page_size = 100
    ordering = ("-pk",)
    cursor_query_description = "Il cursore della pagina (dal campo next o previous della risposta)."
    page_size_query_description = "Quante righe per pagina (da 1 a 100, predefinito 25)."

    def get_ordering(self, request, queryset, view):
        return getattr(view, "cursor_ordering", self.ordering)

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "La pagina seguente.",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "La pagina precedente.",
                },
                "results": schema,
            },
        }
