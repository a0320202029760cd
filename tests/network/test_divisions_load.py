from config.paths import DIVISION_NAMES_CSV, DIVISIONS_CSV
from network.models import OrgUnit
from network.services import divisions_load


def test_reference_load_builds_the_tree(db):
    assert OrgUnit.objects.count() == 82
    city = OrgUnit.objects.get(code="540100")
    assert city.level == "city" and city.parent is None
    assert OrgUnit.objects.filter(level="district").count() == 12
    assert OrgUnit.objects.filter(level="township").count() == 69
    barkhor = OrgUnit.objects.get(code="540102002")
    assert barkhor.path == "540100/540102/540102002/"
    assert barkhor.name_bo.startswith("བར་སྐོར")
    for unit in OrgUnit.objects.all():
        assert unit.name_bo and all("\u0f00" <= ch <= "\u0fff" for ch in unit.name_bo)


def test_load_is_idempotent_and_keeps_edits_of_other_fields(db):
    unit = OrgUnit.objects.get(code="540121100")
    unit.address = "林周县甘丹曲果镇"
    unit.save()
    result = divisions_load(csv_path=DIVISIONS_CSV, names_path=DIVISION_NAMES_CSV)
    assert result == {"created": 0, "updated": 0, "total": 82}
    assert OrgUnit.objects.count() == 82
    assert OrgUnit.objects.get(code="540121100").address == "林周县甘丹曲果镇"


def test_the_project_does_not_read_shared(db):
    assert "shared" not in DIVISIONS_CSV.parts
    assert DIVISIONS_CSV.exists()
