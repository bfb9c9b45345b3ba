"""The OpenAPI schema and a readable account of it. The documentation page is rendered here, in
the site's own design, from the same schema: Swagger UI and Redoc need inline styles that the
site's Content Security Policy forbids, and neither passes axe; this page does, and works without
JavaScript."""

from functools import cache

from django.utils.translation import get_language
from django.views.generic import TemplateView
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

METHODS = ("get", "post", "put", "patch", "delete")


class ApiSchemaView(SpectacularAPIView):
    """The schema is public: it describes the API, it holds no data."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []


@cache
def _schema(language: str) -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _type(schema: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"[{_type(schema.get('items', {}))}]"
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"] if v not in ("", None))
    kind = schema.get("type", "")
    return f"{kind} ({schema['format']})" if schema.get("format") else kind


def operations(schema: dict) -> list[dict]:
    """The schema's operations, in path order, with what a reader needs of each."""
    items = []
    for path, methods in schema.get("paths", {}).items():
        for method in METHODS:
            operation = methods.get(method)
            if operation is None:
                continue
            content = operation.get("requestBody", {}).get("content", {})
            body = content.get("application/json", {}).get("schema")
            success = next(
                (
                    (code, response)
                    for code, response in operation.get("responses", {}).items()
                    if code.startswith("2")
                ),
                None,
            )
            items.append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "type": _type(p.get("schema", {})),
                            "required": p.get("required", False),
                            "description": p.get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": _type(body) if body else "",
                    "status": success[0] if success else "",
                    "returns": _type(
                        success[1].get("content", {}).get("application/json", {}).get("schema", {})
                    )
                    if success
                    else "",
                }
            )
    return items


def components(schema: dict) -> list[dict]:
    return [
        {
            "name": name,
            "fields": [
                {
                    "name": field,
                    "type": _type(spec),
                    "required": field in definition.get("required", []),
                    "read_only": spec.get("readOnly", False),
                    "nullable": spec.get("nullable", False),
                }
                for field, spec in definition.get("properties", {}).items()
            ],
        }
        for name, definition in sorted(schema.get("components", {}).get("schemas", {}).items())
        if definition.get("type") == "object"
    ]


class ApiDocsView(TemplateView):
    template_name = "api/docs.html"

    def get_context_data(self, **kwargs):
        schema = _schema(get_language() or "nb")
        return super().get_context_data(
            info=schema.get("info", {}),
            operations=operations(schema),
            components=components(schema),
            **kwargs,
        )
