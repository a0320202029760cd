from textsearch import normalize_latin, pinyin_keys, tibetan_syllables, wylie, wylie_key


def test_pinyin_keys_include_heteronyms_and_initials():
    keys = pinyin_keys("单田芳").split()
    assert {"dantianfang", "shantianfang", "dtf", "stf"} <= set(keys)


def test_pinyin_ignores_non_han_text():
    assert pinyin_keys("") == ""
    assert pinyin_keys("ABC") == ""


def test_tibetan_is_split_on_tsheg_and_shad():
    assert tibetan_syllables("བཀྲ་ཤིས་བདེ་ལེགས། ") == ["བཀྲ", "ཤིས", "བདེ", "ལེགས"]


def test_wylie_transliterates_each_syllable():
    assert wylie("བཀྲ་ཤིས།") == "bkra shis"
    assert wylie_key(wylie("ཚེ་རིང་དབང་འདུས།")) == "tshe ring dbang dus"


def test_query_forms_fold_to_the_stored_form():
    assert wylie_key("Tshe-ring") == "tshe ring"
    assert normalize_latin("Zhā Xī") == "zhaxi"
