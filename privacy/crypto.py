"""Field encryption and blind indexes (SPEC §7).

A token is ``e1:<algorithm>:<key id>:<base64url(nonce | ciphertext | tag)>``. The
algorithm and key id travel with the value, so changing the algorithm setting or
adding a new key never makes old values unreadable; `rotate_encryption_keys`
rewrites them under the current key at leisure.

AES-256-GCM is the default. SM4-GCM (GB/T 32907) is offered for deployments that
must use domestic cryptography. Both are authenticated: a tampered or swapped
value fails to decrypt instead of returning garbage. The associated data binds each
value to its table and column.
"""

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "e1"
ALGORITHMS = ("aes-gcm", "sm4-gcm")
NONCE_BYTES = 12
TAG_BYTES = 16


class DecryptionError(Exception):
    """A stored value cannot be decrypted: unknown key id, wrong key, or tampering."""


@lru_cache(maxsize=32)
def _derive(master: bytes, algorithm: str) -> bytes:
    # Cached: a rotation run opens thousands of values under the same few keys.
    # One master key per id; each algorithm gets its own subkey of the right length.
    length = 32 if algorithm == "aes-gcm" else 16
    return HKDF(
        algorithm=hashes.SHA256(), length=length, salt=None, info=f"lhasa-field-{algorithm}".encode()
    ).derive(master)


@dataclass(frozen=True)
class Keyring:
    current_id: str
    algorithm: str
    masters: dict[str, bytes]

    def key(self, key_id: str, algorithm: str) -> bytes:
        try:
            master = self.masters[key_id]
        except KeyError as exc:
            raise DecryptionError(f"unknown key id {key_id!r}") from exc
        return _derive(master, algorithm)


def _seal(algorithm: str, key: bytes, nonce: bytes, data: bytes, aad: bytes) -> bytes:
    if algorithm == "aes-gcm":
        return AESGCM(key).encrypt(nonce, data, aad)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    return encryptor.update(data) + encryptor.finalize() + encryptor.tag


def _open(algorithm: str, key: bytes, nonce: bytes, sealed: bytes, aad: bytes) -> bytes:
    try:
        if algorithm == "aes-gcm":
            return AESGCM(key).decrypt(nonce, sealed, aad)
        body, tag = sealed[:-TAG_BYTES], sealed[-TAG_BYTES:]
        decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(aad)
        return decryptor.update(body) + decryptor.finalize()
    except (InvalidTag, ValueError) as exc:
        raise DecryptionError("authentication failed") from exc


def encrypt(plaintext: str, *, context: str, keyring: "Keyring | None" = None) -> str:
    ring = keyring or keyring_from_settings()
    nonce = os.urandom(NONCE_BYTES)
    key = ring.key(ring.current_id, ring.algorithm)
    sealed = _seal(ring.algorithm, key, nonce, plaintext.encode("utf-8"), context.encode())
    body = base64.urlsafe_b64encode(nonce + sealed).decode("ascii")
    return f"{PREFIX}:{ring.algorithm}:{ring.current_id}:{body}"


def parse(token: str) -> tuple[str, str, bytes]:
    parts = token.split(":", 3)
    if len(parts) != 4 or parts[0] != PREFIX or parts[1] not in ALGORITHMS:
        raise DecryptionError("not an encrypted value")
    try:
        raw = base64.urlsafe_b64decode(parts[3].encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise DecryptionError("bad encoding") from exc
    return parts[1], parts[2], raw


def decrypt(token: str, *, context: str, keyring: "Keyring | None" = None) -> str:
    ring = keyring or keyring_from_settings()
    algorithm, key_id, raw = parse(token)
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("value too short")
    plain = _open(
        algorithm, ring.key(key_id, algorithm), raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()
    )
    return plain.decode("utf-8")


def is_current(token: str, keyring: "Keyring | None" = None) -> bool:
    """True when the value is already under the current key and algorithm."""
    ring = keyring or keyring_from_settings()
    algorithm, key_id, _raw = parse(token)
    return algorithm == ring.algorithm and key_id == ring.current_id


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed hash for exact lookup and uniqueness without storing the value.

    The key is separate from the encryption keys and is never rotated in place:
    changing it needs a full re-index (`rotate_encryption_keys --reindex`).
    """
    key = _blind_index_key()
    normalized = value.strip().upper()
    return hmac.new(key, f"{purpose}:{normalized}".encode(), hashlib.sha256).hexdigest()


def _decode_key(text: str, name: str) -> bytes:
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise ImproperlyConfigured(f"{name}: key is not base64.") from exc
    if len(raw) < 32:
        raise ImproperlyConfigured(f"{name}: key must be at least 32 bytes (base64 of 32 random bytes).")
    return raw


def _dev_key(label: str) -> bytes:
    # Outside production, keys derive from SECRET_KEY so `make run` needs no setup.
    return hashlib.sha256(f"{label}:{settings.SECRET_KEY}".encode()).digest()


@lru_cache(maxsize=8)
def _keyring(entries: tuple[str, ...], algorithm: str, secret: str) -> Keyring:
    if algorithm not in ALGORITHMS:
        raise ImproperlyConfigured(f"FIELD_ENCRYPTION_ALGORITHM={algorithm!r}: use one of {ALGORITHMS}.")
    masters: dict[str, bytes] = {}
    for entry in entries:
        key_id, sep, text = entry.partition("=")
        if not sep or not key_id.isalnum():
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS entries look like 'k2026=<base64>'.")
        if key_id in masters:
            # Two different keys under one id would make old values unreadable.
            raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS: key id {key_id!r} appears twice.")
        masters[key_id] = _decode_key(text, "FIELD_ENCRYPTION_KEYS")
    if not masters:
        if settings.PRODUCTION:
            raise ImproperlyConfigured(
                "Set FIELD_ENCRYPTION_KEYS (or FIELD_ENCRYPTION_KEYS_FILE) in production."
            )
        masters["dev"] = _dev_key("field-encryption")
    current = entries[0].partition("=")[0] if entries else "dev"
    return Keyring(current_id=current, algorithm=algorithm, masters=masters)


def keyring_from_settings() -> Keyring:
    entries = settings.FIELD_ENCRYPTION_KEYS
    if isinstance(entries, str):  # a comma-separated string set directly in settings
        entries = [item.strip() for item in entries.split(",") if item.strip()]
    return _keyring(tuple(entries), settings.FIELD_ENCRYPTION_ALGORITHM, settings.SECRET_KEY)


@lru_cache(maxsize=4)
def _index_key(text: str, secret: str) -> bytes:
    if text:
        return _decode_key(text, "BLIND_INDEX_KEY")
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Set BLIND_INDEX_KEY (or BLIND_INDEX_KEY_FILE) in production.")
    return _dev_key("blind-index")


def _blind_index_key() -> bytes:
    return _index_key(settings.BLIND_INDEX_KEY, settings.SECRET_KEY)
