"""Personal information at rest: one field type for ID numbers, phones and other sensitive values.

Stored encrypted (AES-256-GCM, key from PII_KEY or generated into var/); a companion `<name>_hash`
column holds a keyed hash (HMAC-SHA256) of the normalized value for exact search. Read back, a value
is a PIIValue: it prints masked everywhere (templates, serializers, logs, reprs) and yields the
plaintext only through `.reveal()`, which callers reach through an audited reveal service.
"""
import base64
import binascii
import hashlib
import hmac
import os
import re
from decimal import Decimal, InvalidOperation
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, MaxLengthValidator
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from . import sealing

VERSION = sealing.VERSION
_AAD = sealing.AAD


@cache
def _keys() -> tuple[bytes, bytes]:
    master = base64.urlsafe_b64decode(settings.PII_KEY.encode() + b"==")
    if len(master) < 32:
        raise RuntimeError("PII_KEY must hold at least 32 random bytes (urlsafe base64)")
    enc = hmac.new(master, b"shuanglian pii encryption", hashlib.sha256).digest()
    idx = hmac.new(master, b"shuanglian pii blind index", hashlib.sha256).digest()
    return enc, idx


_NON_DIGITS = re.compile(r"\D")


def normalize(kind: str, value: str) -> str:
    value = (value or "").strip()
    if kind == "id_number":
        return value.replace(" ", "").upper()
    if kind == "phone":
        # isdecimal() is exactly "every character is \d" (Unicode Nd): most phones need no regex pass.
        digits = value if value.isdecimal() else _NON_DIGITS.sub("", value)
        return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits
    return value


@cache
def _aead():
    return AESGCM(_keys()[0])


@cache
def _hmac_prototype(kind: str):
    return sealing.hmac_prototype(_keys()[1], kind)


def blind_index(kind: str, value: str) -> str:
    digest = _hmac_prototype(kind).copy()
    digest.update(normalize(kind, value).encode())
    return digest.hexdigest()


def blind_indexer(kind: str):
    """blind_index(kind, value) for values already normalized (as normalize(kind, ...) returns them):
    the function bulk imports call a million times, without the normalizing and lookups."""
    return sealing.blind_indexer(_keys()[1], kind)


_b64 = binascii.b2a_base64  # what base64.b64encode calls, without its wrapper


def encrypt(plaintext: str) -> str:
    nonce = os.urandom(12)
    sealed = _aead().encrypt(nonce, plaintext.encode("utf-8"), _AAD)
    return f"{VERSION}:{_b64(nonce + sealed, newline=False).decode()}"


def encryptor():
    """encrypt() for many values, the same format (sealing.encryptor: nonces drawn in blocks)."""
    return sealing.encryptor(_keys()[0])


def seal_ahead(*, helper: bool) -> sealing.SealAhead:
    """ID numbers and phones of many persons sealed (with `helper`, in a second process) while the
    caller goes on: see sealing.SealAhead."""
    return sealing.SealAhead(*_keys(), helper=helper)


def decrypt(token: str) -> str:
    version, _, body = token.partition(":")
    if version != VERSION:
        raise ValueError(f"unknown PII encryption version {version!r}")
    raw = base64.b64decode(body)
    return _aead().decrypt(raw[:12], raw[12:], _AAD).decode("utf-8")


def mask(kind: str, value: str) -> str:
    if not value:
        return ""
    if kind == "id_number" and len(value) >= 10:
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    if kind == "phone" and len(value) >= 7:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    keep = max(1, len(value) // 4)
    return value[:keep] + "*" * (len(value) - keep)


class PIIValue:
    """A sensitive value read from the database. Prints masked; `.reveal()` is the only way to the plaintext."""

    __slots__ = ("_kind", "_value")

    def __init__(self, kind: str, value: str):
        self._kind, self._value = kind, value

    @property
    def masked(self) -> str:
        return mask(self._kind, self._value)

    def reveal(self) -> str:
        return self._value

    def __str__(self):
        return self.masked

    __html__ = __str__

    def __repr__(self):
        return f"<PIIValue {self.masked}>"

    def __format__(self, spec):
        return format(self.masked, spec)

    def __eq__(self, other):
        if isinstance(other, PIIValue):
            return self._value == other._value
        return isinstance(other, str) and normalize(self._kind, other) == normalize(self._kind, self._value)

    def __hash__(self):
        return hash(self._value)

    def __bool__(self):
        return bool(self._value)


class PIIDescriptor(DeferredAttribute):
    """Whatever is assigned becomes a PIIValue at once, so no code path holds a bare plaintext by accident."""

    field: "PIIField"

    def __set__(self, instance, value):
        if value is not None and not isinstance(value, PIIValue):
            value = PIIValue(self.field.kind, normalize(self.field.kind, str(value)))
        instance.__dict__[self.field.attname] = value


class PIIField(models.TextField):
    """Encrypted at rest. If the model has a `<name>_hash` field, it is kept as the value's blind index.

    Only `isnull` lookups work on the column itself; search with `PIIField.search_q(name, kind, value)`.
    """

    descriptor_class = PIIDescriptor

    def __init__(self, *args, kind: str = "text", **kwargs):
        self.kind = kind
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return PIIValue(self.kind, "")
        return PIIValue(self.kind, decrypt(value))

    def to_python(self, value):
        if isinstance(value, PIIValue) or value is None:
            return value
        return PIIValue(self.kind, normalize(self.kind, str(value)))

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        plain = value.reveal() if isinstance(value, PIIValue) else normalize(self.kind, value or "")
        hash_name = f"{self.attname}_hash"
        if any(f.attname == hash_name for f in model_instance._meta.concrete_fields):
            setattr(model_instance, hash_name, blind_index(self.kind, plain) if plain else "")
        return plain

    def get_prep_value(self, value):
        plain = value.reveal() if isinstance(value, PIIValue) else (value or "")
        return encrypt(plain) if plain else ""

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise TypeError(f"encrypted field: search its _hash column (lookup {lookup_name!r} would never match)")
        return super().get_lookup(lookup_name)

    def value_to_string(self, obj):
        return str(self.value_from_object(obj))

    @staticmethod
    def search_q(name: str, kind: str, value: str) -> models.Q:
        return models.Q(**{f"{name}_hash": blind_index(kind, value)})


class SealedTextField(models.TextField):
    """Sensitive text that is shown in full to those who may see it (health, say), but encrypted at rest:
    the same AES-256-GCM as PIIField, without a mask. In Python it is a plain str; only `isnull` lookups
    work on the column (the database holds ciphertext), so nothing filters or sorts by it in SQL.
    `max_length` is checked on the plaintext (the ciphertext is longer)."""

    def __init__(self, *args, max_length: int | None = None, **kwargs):
        self.plain_max_length = max_length
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)
        if max_length is not None:
            self.validators.append(MaxLengthValidator(max_length))

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.plain_max_length is not None:
            kwargs["max_length"] = self.plain_max_length
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return value if value in (None, "") else self.from_plain(decrypt(value))

    def from_plain(self, plain: str):
        return plain

    def to_plain(self, value) -> str:
        return str(value)

    def get_prep_value(self, value):
        if value is None or value == "":
            return value
        return encrypt(self.to_plain(self.to_python(value)))

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise TypeError(f"encrypted field: no SQL lookup {lookup_name!r} on its ciphertext")
        return super().get_lookup(lookup_name)

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"max_length": self.plain_max_length, **kwargs})


class SealedDecimalField(SealedTextField):
    """An amount (a household's income) encrypted at rest: a Decimal in Python, None when not recorded."""

    def __init__(self, *args, max_digits: int = 12, decimal_places: int = 2, **kwargs):
        self.max_digits, self.decimal_places = max_digits, decimal_places
        kwargs.setdefault("null", True)
        kwargs.setdefault("default", None)
        super().__init__(*args, **kwargs)
        self.validators.append(DecimalValidator(max_digits, decimal_places))

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(max_digits=self.max_digits, decimal_places=self.decimal_places)
        return name, path, args, kwargs

    def from_plain(self, plain: str):
        return Decimal(plain)

    def to_python(self, value):
        if value is None or value == "" or isinstance(value, Decimal):
            return value if value != "" else None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise ValidationError(f"{value!r} is not an amount", code="invalid") from None

    def to_plain(self, value) -> str:
        """The amount with its decimal places, as a DecimalField would store it ("36000.00")."""
        return format(Decimal(value).quantize(Decimal(1).scaleb(-self.decimal_places)), "f")

    def formfield(self, **kwargs):
        return forms.DecimalField(max_digits=self.max_digits, decimal_places=self.decimal_places,
                                  required=not self.blank, label=self.verbose_name, **kwargs)


class BlindIndexField(models.CharField):
    """The `<name>_hash` column beside a PIIField: hex of an HMAC, compared byte by byte. On PostgreSQL it
    has the "C" collation: the database's own (C.UTF-8, zh_CN.UTF-8) would compare hex digits through the
    locale for nothing, and a bulk import builds its unique index about twice as fast without it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params


# Patterns that look like an ID number or a mobile phone, for scrubbing free text such as log lines.
_ID_RE = re.compile(r"(?<![0-9])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9])")
_PHONE_RE = re.compile(r"(?<![0-9])(1[3-9]\d)\d{4}(\d{4})(?![0-9])")


def scrub(text: str) -> str:
    return _PHONE_RE.sub(r"\1****\2", _ID_RE.sub(r"\1********\2", text))


# ---------------------------------------------------------------- reasons for seeing personal information

REASON_MIN_LETTERS = 2


def meaningful_letters(text: str) -> int:
    """Letters and digits in `text` (CJK characters count, being letters to Unicode): zero-width and other
    format characters, spaces and punctuation such as ".." do not."""
    return sum(1 for ch in text if ch.isalnum())


def reason_is_stated(reason: str | None) -> bool:
    """The one rule for a reason to see personal information in full: at least REASON_MIN_LETTERS letters,
    digits or CJK characters once stripped. "  ", "..", a zero-width space are no reason."""
    return meaningful_letters((reason or "").strip()) >= REASON_MIN_LETTERS
