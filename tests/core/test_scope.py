"""The one scope rule, tested with personas of every role (§4.1.1)."""

import pytest
from django.http import Http404

from accounts.models import User
from core.scope import get_scoped_or_404, scoped
from network.models import OrgUnit, ServicePoint
from tests.factories import ServicePointFactory


@pytest.fixture
def points(db):
    return {
        "barkhor": ServicePointFactory.in_unit("540102002"),
        "jiri": ServicePointFactory.in_unit("540102003"),
        "chengguan": ServicePointFactory.in_unit("540102"),
        "linzhou": ServicePointFactory.in_unit("540121100"),
    }


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("counsellor_chengguan", {"barkhor"}),
        ("head_chengguan", {"barkhor"}),
        ("counsellor_jiri", {"jiri"}),
        ("counsellor_linzhou", {"linzhou"}),
        ("district_chengguan", {"barkhor", "jiri", "chengguan"}),
        ("district_linzhou", {"linzhou"}),
        ("city", {"barkhor", "jiri", "chengguan", "linzhou"}),
    ],
)
def test_each_role_sees_its_subtree(personas, points, persona, visible):
    seen = set(scoped(ServicePoint.objects.all(), personas[persona]).values_list("pk", flat=True))
    assert seen == {points[name].pk for name in visible}


def test_unit_scope_is_the_subtree(personas):
    codes = set(scoped(OrgUnit.objects.all(), personas["district_chengguan"]).values_list("code", flat=True))
    assert "540102" in codes and "540102002" in codes
    assert "540121" not in codes and "540100" not in codes
    assert all(code.startswith("540102") for code in codes)


@pytest.mark.parametrize("broken", ["no_role", "no_unit", "inactive", "anonymous"])
def test_empty_scope_sees_nothing(personas, points, broken):
    from django.contrib.auth.models import AnonymousUser

    user = personas["city"]
    if broken == "no_role":
        user.role = ""
    elif broken == "no_unit":
        user.unit = None
    elif broken == "inactive":
        user.is_active = False
    else:
        user = AnonymousUser()
    assert scoped(ServicePoint.objects.all(), user).count() == 0


def test_out_of_scope_lookup_is_404(personas, points):
    with pytest.raises(Http404):
        get_scoped_or_404(
            ServicePoint.objects.all(), personas["counsellor_chengguan"], pk=points["linzhou"].pk
        )
    with pytest.raises(Http404):
        get_scoped_or_404(ServicePoint.objects.all(), personas["counsellor_chengguan"], pk="not-a-number")
    found = get_scoped_or_404(ServicePoint.objects.all(), personas["city"], pk=points["linzhou"].pk)
    assert found == points["linzhou"]


def test_staff_records_are_scoped_too(personas):
    seen = set(scoped(User.objects.all(), personas["district_linzhou"]).values_list("username", flat=True))
    assert seen == {"counsellor_linzhou", "district_linzhou"}
