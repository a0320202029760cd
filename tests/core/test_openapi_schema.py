"""The OpenAPI 3 document at /api/schema/ is valid and describes the register's API (SPEC §4, §5)."""

import pytest
from drf_spectacular.validation import validate_schema


@pytest.fixture
def schema(personas, api):
    response = api(personas["counsellor_chengguan"]).get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_schema_is_a_valid_openapi_3_document(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on any violation of the OpenAPI 3.0 JSON schema


def test_register_paths_are_described(schema):
    paths = schema["paths"]
    for path, methods in {
        "/api/v1/persons/": {"get", "post"},
        "/api/v1/persons/{id}/": {"get", "patch"},
        "/api/v1/persons/{id}/reveal": {"post"},
        "/api/v1/persons/{id}/contacts": {"get", "post"},
        "/api/v1/persons/{id}/household": {"post"},
        "/api/v1/households/": {"get", "post"},
        "/api/v1/households/{id}/": {"get", "patch"},
        "/api/v1/key-groups/": {"get"},
    }.items():
        assert path in paths
        assert methods <= set(paths[path])
    assert "delete" not in paths["/api/v1/persons/{id}/"]
    assert "put" not in paths["/api/v1/persons/{id}/"]


def test_person_reads_masked_identifiers_and_writes_full_ones(schema):
    components = schema["components"]["schemas"]
    read = components["Person"]["properties"]
    assert "id_number_masked" in read and "phone_masked" in read
    assert "id_number" not in read and "phone" not in read and "disability_details" not in read
    created = components["PersonCreateRequest"]["properties"]
    assert "id_number" in created and "phone" in created
    assert "id_number_masked" not in created
    assert "id_number" in components["PersonCreateRequest"]["required"]
    assert "version" in components["PatchedPersonUpdateRequest"]["properties"]


def test_household_never_reads_allowance_status(schema):
    components = schema["components"]["schemas"]
    assert "allowance_status" not in components["Household"]["properties"]
    assert "allowance_status" in components["HouseholdWriteRequest"]["properties"]
    member = components["HouseholdMember"]["properties"]
    assert set(member) == {"id", "name_zh", "name_bo", "relation_to_head", "employment_status"}


def test_list_filters_are_documented(schema):
    names = {p["name"] for p in schema["paths"]["/api/v1/persons/"]["get"]["parameters"]}
    assert {"q", "unit", "employment_status", "key_group", "unreachable", "page", "page_size"} <= names
    names = {p["name"] for p in schema["paths"]["/api/v1/households/"]["get"]["parameters"]}
    assert {"unit", "zero_employment"} <= names
