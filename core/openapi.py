"""The OpenAPI schema describes the error replies every endpoint can give (SPEC §5).

core.api.exception_handler answers every refusal in one shape; without this hook the schema
listed only the success reply, so clients (and the schemathesis run in tests/security) could
not know a 400, 404 or 409 was a documented answer.
"""

ERROR_COMPONENT = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "description": "Every refusal: a machine-readable code, a message in the request's language, "
    "and the messages per field (`__all__` for the request as a whole).",
    "properties": {
        "code": {"type": "string", "example": "validation_failed"},
        "message": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {}},
    },
    "required": ["code", "message", "errors"],
}
DESCRIPTIONS = {
    "400": "Bad input: malformed JSON, a wrong type, a value out of range, or a rule refused.",
    "401": "Not signed in: send `Authorization: Token <token>`.",
    "403": "Signed in, but the role may not do this.",
    "404": "No such record, or it lies outside the caller's area.",
    "409": "Someone else saved the record first (version check), or the record's state forbids this.",
    "413": "The request body is larger than the server accepts.",
    "415": "The request body is not JSON.",
    "429": "Too many requests; see `Retry-After`.",
}
WRITES = {"post", "put", "patch", "delete"}


def _needs_sign_in(operation: dict, schema: dict) -> bool:
    # drf-spectacular lists `{}` among the security requirements when anonymous callers are allowed.
    security = operation.get("security", schema.get("security"))
    return bool(security) and {} not in security


def _statuses(path: str, method: str, operation: dict, schema: dict) -> list[str]:
    statuses = ["400", "429"]
    if _needs_sign_in(operation, schema):
        statuses += ["401", "403"]
    # A page number past the end is a 404 too (DRF's pagination).
    if "{" in path or any(p.get("name") == "page" for p in operation.get("parameters", [])):
        statuses.append("404")
    if method in WRITES:
        statuses += ["409", "413", "415"]
    return statuses


def document_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status in _statuses(path, method, operation, result):
                responses.setdefault(
                    status,
                    {
                        "description": DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result
