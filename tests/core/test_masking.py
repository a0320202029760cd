from core.masking import mask_id_number, mask_phone


def test_id_number_keeps_region_and_last_four():
    assert mask_id_number("540102199001011234") == "540102********1234"


def test_phone_keeps_prefix_and_last_four():
    assert mask_phone("13812345678") == "138****5678"


def test_short_and_empty_values_are_fully_hidden():
    assert mask_id_number("12345") == "*****"
    assert mask_phone("1234") == "****"
    assert mask_id_number(None) == "" and mask_phone("") == ""
