"""The OpenAPI schema's account of errors: every operation may answer with a problem (RFC 9457)
for the statuses below, so a client (and schemathesis) knows every response it can get."""

PROBLEM = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "retry_after": {"type": "integer"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}

ERRORS = {
    "400": "Ugyldig forespørsel",
    "401": "Mangler eller ugyldig nøkkel",
    "403": "Ingen tilgang",
    "404": "Finnes ikke, eller ikke synlig for nøkkelens bruker",
    "405": "Metoden er ikke tillatt",
    "406": "Formatet kan ikke leveres",
    "415": "Innholdstypen støttes ikke",
    "429": "For mange forespørsler",
}


def add_problem_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    reference = {"$ref": "#/components/schemas/Problem"}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/problem+json": {"schema": reference}},
                    },
                )
    return result
