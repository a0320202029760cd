"""A lone surrogate echoed back in an error must not turn a 400 into a 500."""

import json


def test_lone_surrogate_in_a_choice_gives_a_400(personas, api):
    client = api(personas["counsellor_chengguan"])
    body = '{"name_zh": "x", "employment_status": "\\ud800"}'
    response = client.post("/api/v1/persons/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert "employment_status" in json.loads(response.content)["errors"]


def test_renderer_escapes_only_when_it_must():
    from core.api import JSONRenderer

    renderer = JSONRenderer()
    assert renderer.render({"name": "བཀྲ་ཤིས"}).decode() == '{"name":"བཀྲ་ཤིས"}'
    assert renderer.render({"bad": "\ud800"}) == b'{"bad":"\\ud800"}'
    assert renderer.render({"name": "扎西"}).decode() == '{"name":"扎西"}'
