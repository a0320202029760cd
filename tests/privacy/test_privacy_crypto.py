"""Field encryption (AES-GCM, SM4-GCM), key settings and the blind index (SPEC §7)."""

import base64

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from core.errors import ValidationFailed
from people import derived
from people.models import Person
from privacy import crypto
from tests.factories import person, valid_id_number

KEY_A = base64.b64encode(bytes(range(32))).decode()
KEY_B = base64.b64encode(bytes(range(100, 132))).decode()
TEXTS = ["540102199003070117", "扎西次仁，城关区八廓街道", "བཀྲ་ཤིས་ཚེ་རིང་། ལྷ་ས།", ""]


@pytest.fixture(autouse=True)
def _fresh_caches():
    # The keyring and index-key caches are keyed by values, but PRODUCTION is not part of
    # the key: start and end each test with empty caches.
    crypto._keyring.cache_clear()
    crypto._index_key.cache_clear()
    yield
    crypto._keyring.cache_clear()
    crypto._index_key.cache_clear()


def ring(*entries, algorithm="aes-gcm"):
    return crypto._keyring(tuple(entries), algorithm, "test-secret")


def _flip_byte(token: str, position: int) -> str:
    head, body = token.rsplit(":", 1)
    raw = bytearray(base64.urlsafe_b64decode(body))
    raw[position] ^= 0x01
    return f"{head}:{base64.urlsafe_b64encode(bytes(raw)).decode()}"


@pytest.mark.parametrize("algorithm", crypto.ALGORITHMS)
@pytest.mark.parametrize("text", TEXTS)
def test_round_trip(algorithm, text):
    keys = ring(f"k2026={KEY_A}", algorithm=algorithm)
    token = crypto.encrypt(text, context="people.person.phone", keyring=keys)
    assert token.startswith(f"e1:{algorithm}:k2026:")
    assert text.encode() not in token.encode() or not text
    assert crypto.decrypt(token, context="people.person.phone", keyring=keys) == text


@pytest.mark.parametrize("algorithm", crypto.ALGORITHMS)
def test_each_encryption_uses_a_fresh_nonce(algorithm):
    keys = ring(f"k2026={KEY_A}", algorithm=algorithm)
    first = crypto.encrypt("扎西", context="c", keyring=keys)
    assert first != crypto.encrypt("扎西", context="c", keyring=keys)


@pytest.mark.parametrize("algorithm", crypto.ALGORITHMS)
@pytest.mark.parametrize("position", [0, 12, 15, -1])  # nonce, ciphertext, tag
def test_tampered_token_fails(algorithm, position):
    keys = ring(f"k2026={KEY_A}", algorithm=algorithm)
    token = crypto.encrypt("ཚེ་རིང་ 13812345678", context="c", keyring=keys)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(_flip_byte(token, position), context="c", keyring=keys)


@pytest.mark.parametrize("algorithm", crypto.ALGORITHMS)
def test_token_moved_to_another_column_fails(algorithm):
    keys = ring(f"k2026={KEY_A}", algorithm=algorithm)
    token = crypto.encrypt("13812345678", context="people.person.phone", keyring=keys)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="people.person.disability_details", keyring=keys)


def test_unknown_key_id_fails():
    token = crypto.encrypt("扎西", context="c", keyring=ring(f"k2025={KEY_A}"))
    with pytest.raises(crypto.DecryptionError, match="unknown key id"):
        crypto.decrypt(token, context="c", keyring=ring(f"k2026={KEY_B}"))


def test_same_key_id_with_another_key_fails():
    token = crypto.encrypt("扎西", context="c", keyring=ring(f"k2026={KEY_A}"))
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="c", keyring=ring(f"k2026={KEY_B}"))


def test_algorithm_travels_with_the_value():
    old = crypto.encrypt("扎西", context="c", keyring=ring(f"k2026={KEY_A}", algorithm="aes-gcm"))
    sm4_ring = ring(f"k2026={KEY_A}", algorithm="sm4-gcm")
    assert crypto.decrypt(old, context="c", keyring=sm4_ring) == "扎西"
    assert not crypto.is_current(old, keyring=sm4_ring)
    assert crypto.is_current(crypto.encrypt("扎西", context="c", keyring=sm4_ring), keyring=sm4_ring)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "plain text",
        "e1:aes-gcm:k2026",
        "e1:des:k2026:AAAA",
        "e2:aes-gcm:k2026:AAAA",
        "e1:aes-gcm:k2026:AAAA",
    ],
)
def test_not_a_token_fails_cleanly(token):
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="c", keyring=ring(f"k2026={KEY_A}"))


# --- settings ------------------------------------------------------------------------


def test_first_key_encrypts_and_older_keys_still_read():
    keys = ring(f"k2026={KEY_A}", f"k2025={KEY_B}")
    assert keys.current_id == "k2026"
    assert set(keys.masters) == {"k2026", "k2025"}
    old = crypto.encrypt("ལྷ་ས།", context="c", keyring=ring(f"k2025={KEY_B}"))
    assert crypto.decrypt(old, context="c", keyring=keys) == "ལྷ་ས།"
    assert not crypto.is_current(old, keyring=keys)


def test_settings_are_read_per_call(settings):
    settings.FIELD_ENCRYPTION_KEYS = [f"k2026={KEY_A}", f"k2025={KEY_B}"]
    settings.FIELD_ENCRYPTION_ALGORITHM = "sm4-gcm"
    assert crypto.encrypt("x", context="c").startswith("e1:sm4-gcm:k2026:")
    # A comma-separated string, as in the environment variable, means the same.
    settings.FIELD_ENCRYPTION_KEYS = f"k2025={KEY_B}, k2026={KEY_A}"
    assert crypto.keyring_from_settings().current_id == "k2025"


@pytest.mark.parametrize(
    "entries, algorithm, message",
    [
        ((f"k2026={KEY_A[:-4]}!!!!",), "aes-gcm", "not base64"),
        (("k2026=" + base64.b64encode(b"short key").decode(),), "aes-gcm", "at least 32 bytes"),
        (("k2026=",), "aes-gcm", "at least 32 bytes"),
        (("k2026",), "aes-gcm", "k2026=<base64>"),
        ((f"k-2026={KEY_A}",), "aes-gcm", "k2026=<base64>"),
        ((f"k2026={KEY_A}", f"k2026={KEY_B}"), "aes-gcm", "appears twice"),
        ((f"k2026={KEY_A}",), "aes-256-cbc", "FIELD_ENCRYPTION_ALGORITHM"),
        ((f"k2026={KEY_A}",), "", "FIELD_ENCRYPTION_ALGORITHM"),
    ],
)
def test_bad_key_settings_are_refused(entries, algorithm, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        crypto._keyring(entries, algorithm, "test-secret")


def test_production_needs_keys(settings):
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS"):
        crypto._keyring((), "aes-gcm", "production-secret")
    with pytest.raises(ImproperlyConfigured, match="BLIND_INDEX_KEY"):
        crypto._index_key("", "production-secret")
    # With keys set, production starts.
    assert crypto._keyring((f"k2026={KEY_A}",), "aes-gcm", "production-secret").current_id == "k2026"
    assert crypto._index_key(KEY_B, "production-secret") == base64.b64decode(KEY_B)


def test_development_derives_keys_from_the_secret(settings):
    settings.PRODUCTION = False
    assert crypto._keyring((), "aes-gcm", settings.SECRET_KEY).current_id == "dev"


@pytest.mark.parametrize("value", ["not base64!", base64.b64encode(b"too short").decode()])
def test_bad_blind_index_key_stops_start_up(settings, value):
    settings.BLIND_INDEX_KEY = value
    with pytest.raises(ImproperlyConfigured, match="BLIND_INDEX_KEY"):
        apps.get_app_config("privacy").ready()


def test_bad_encryption_key_stops_start_up(settings):
    settings.FIELD_ENCRYPTION_KEYS = ["k2026=###"]
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS"):
        apps.get_app_config("privacy").ready()


# --- blind index ---------------------------------------------------------------------


def test_blind_index_is_stable_and_distinct():
    first, second = valid_id_number(sequence=1), valid_id_number(sequence=2)
    assert derived.id_lookup_key(first) == derived.id_lookup_key(first)
    assert derived.id_lookup_key(first) != derived.id_lookup_key(second)
    assert first not in derived.id_lookup_key(first)
    # The purpose separates the ID index from the phone index.
    assert crypto.blind_index("13812345678", purpose="a") != crypto.blind_index("13812345678", purpose="b")


def _id_ending_in_x() -> str:
    return next(n for n in (valid_id_number(sequence=s) for s in range(1, 200)) if n.endswith("X"))


def test_lower_case_x_matches_upper_case():
    number = _id_ending_in_x()
    assert derived.id_lookup_key(number.lower()) == derived.id_lookup_key(number)
    assert derived.id_lookup_key(f" {number.lower()} ") == derived.id_number_values(number)["id_number_index"]


def test_blind_index_changes_with_its_key(settings):
    number = valid_id_number()
    settings.BLIND_INDEX_KEY = KEY_A
    under_a = derived.id_lookup_key(number)
    settings.BLIND_INDEX_KEY = KEY_B
    assert derived.id_lookup_key(number) != under_a
    settings.BLIND_INDEX_KEY = KEY_A
    assert derived.id_lookup_key(number) == under_a


def test_the_same_id_cannot_be_registered_twice(personas):
    number = _id_ending_in_x()
    person(user=personas["counsellor_chengguan"], id_number=number)
    with pytest.raises(ValidationFailed) as caught:
        person(
            user=personas["counsellor_linzhou"],
            unit_code="540121100",
            id_number=number.lower(),
            name_zh="次仁",
            name_bo="ཚེ་རིང་།",
        )
    assert "id_number" in caught.value.errors
    assert Person.objects.count() == 1
