"""Sealing personal values in bulk: AES-256-GCM ciphertexts and HMAC-SHA256 blind indexes, the formats
pii.py defines, for many values at once, and optionally in a helper process.

No Django here: a helper process started by `SealAhead` imports this module alone, with the two keys
handed over at its start, so it never reads settings or opens a database connection.

Why a helper process: a bulk import spends most of its time in two single-threaded loops, checking
rows and sealing their ID numbers and phones (about 8 microseconds a person: two encryptions and two
HMACs). The checking decides which values get sealed, so the checker hands them over in chunks as it
goes and a second core seals them meanwhile; by the time the rows are written the ciphertexts wait.
"""
import binascii
import gc
import hashlib
import hmac
import logging
import os
import queue
import struct
import subprocess
import sys
import threading
from collections.abc import Sequence

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

log = logging.getLogger(__name__)

VERSION = "v1"
AAD = VERSION.encode()

try:  # OpenSSL's HMAC object, copied in C; hmac.HMAC.copy() is Python code around the same thing.
    from _hashlib import hmac_new as _openssl_hmac
except ImportError:  # pragma: no cover - a Python built without OpenSSL's hashlib
    _openssl_hmac = None  # type: ignore[assignment]  # checked before use


def hmac_prototype(index_key: bytes, kind: str):
    """HMAC-SHA256 keyed with the index key, already fed "<kind>:"; each value is hashed on a copy."""
    if _openssl_hmac is not None:
        return _openssl_hmac(index_key, f"{kind}:".encode(), "sha256")
    return hmac.new(index_key, f"{kind}:".encode(), hashlib.sha256)


def blind_indexer(index_key: bytes, kind: str):
    """The blind index of values already normalized, as one function to call a million times."""
    copy = hmac_prototype(index_key, kind).copy

    def index(normalized: str) -> str:
        digest = copy()
        digest.update(normalized.encode())
        return digest.hexdigest()

    return index


def encryptor(encryption_key: bytes, nonces_per_read: int = 4096):
    """Encrypt one value to "v1:<base64 of nonce + ciphertext + tag>". The 12-byte random nonces come
    from os.urandom in blocks (one system call per block instead of per value), as unpredictable as
    one by one.

    Each call makes its own nonce supply: never keep one across a fork (both processes would draw the
    same nonces) or share it between threads."""
    seal, aad, prefix, b64 = AESGCM(encryption_key).encrypt, AAD, f"{VERSION}:", binascii.b2a_base64
    nonces = _nonce_supply(nonces_per_read)

    def encrypt_one(plaintext: str) -> str:
        nonce = next(nonces)
        return prefix + b64(nonce + seal(nonce, plaintext.encode("utf-8"), aad), newline=False).decode()

    return encrypt_one


def _nonce_supply(per_read: int):
    while True:
        block = os.urandom(12 * per_read)
        for i in range(0, 12 * per_read, 12):
            yield block[i:i + 12]


class _Kit:
    """What sealing a chunk needs: an encryptor and the two blind indexers."""

    def __init__(self, encryption_key: bytes, index_key: bytes):
        self.encrypt = encryptor(encryption_key)
        self.id_index = blind_indexer(index_key, "id_number")
        self.phone_index = blind_indexer(index_key, "phone")

    def seal(self, ids: list[str], phones: list[str]) -> tuple[list[str], list[str], list[str], list[str]]:
        """(ID ciphertexts, ID hashes, phone ciphertexts, phone hashes); a blank phone stays blank."""
        encrypt, phone_index = self.encrypt, self.phone_index
        return (list(map(encrypt, ids)), list(map(self.id_index, ids)),
                [encrypt(p) if p else "" for p in phones], [phone_index(p) if p else "" for p in phones])


# The helper process: `python -m shuanglian.core.sealing`, spoken to over its standard input and output
# in frames of an 8-byte length and that many bytes. First the two keys; then one frame per chunk,
# the ID numbers and the phones each joined by newlines, the two parts split by a NUL; then an empty
# frame, after which it answers four frames per chunk (the four columns joined by newlines: base64 and
# hex never hold one). A reader thread takes the chunks in as they come, so the parent's writes never
# wait for the sealing; the answers wait in memory until the parent asks, so the helper never waits
# on a pipe the parent is not reading yet.
_LENGTH = struct.Struct(">Q")


def _write_frame(out, payload: bytes) -> None:
    out.write(_LENGTH.pack(len(payload)))
    out.write(payload)
    out.flush()


def _read_frame(source) -> bytes | None:
    head = source.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    size = _LENGTH.unpack(head)[0]
    payload = source.read(size)
    return payload if len(payload) == size else None


def _helper_main() -> int:
    gc.disable()  # it makes millions of strings and no cycles: collections would only walk them
    source, out = sys.stdin.buffer, sys.stdout.buffer
    keys = _read_frame(source)
    if keys is None or len(keys) != 64:
        return 2
    kit = _Kit(keys[:32], keys[32:])
    inbox: queue.SimpleQueue = queue.SimpleQueue()

    def take_in():
        while True:
            frame = _read_frame(source)
            inbox.put(frame)  # None: the parent went away; b"": the last chunk was sent
            if not frame:
                return

    threading.Thread(target=take_in, daemon=True).start()
    answers = []
    while (frame := inbox.get()):
        ids, _, phones = frame.decode().partition("\0")
        answers.append([("\n".join(column)).encode() for column in kit.seal(ids.split("\n"), phones.split("\n"))])
    if frame is None:
        return 1
    for columns in answers:
        for column in columns:
            _write_frame(out, column)
    return 0


class SealAhead:
    """Persons' ID numbers and phones, sealed while the caller goes on: `add()` them (normalized) as
    they are found valid, then `results()` gives the four columns in the order added.

    With `helper`, chunks go to a helper process as they fill (see above). If it cannot start or
    fails, everything is sealed in process instead, with a warning. Without `helper`, everything is
    sealed in process by `results()`. Use it as a context manager: leaving it stops the helper."""

    CHUNK = 25_000

    def __init__(self, encryption_key: bytes, index_key: bytes, *, helper: bool):
        self._keys = (encryption_key, index_key)
        self._ids: list[str] = []
        self._phones: list[str] = []
        self._chunks: list[tuple[list[str], list[str]]] = []
        self._helper = None
        # Under an embedding server (uWSGI, mod_wsgi) sys.executable is not a Python to start: seal in process.
        if helper and not os.path.basename(sys.executable or "").startswith("python"):
            log.warning("sealing in process: %r is not a Python interpreter to start a helper with", sys.executable)
            helper = False
        if helper:
            try:
                # This package's directory on the path, wherever the caller found it.
                package_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
                path = os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))
                self._helper = subprocess.Popen([sys.executable, "-m", "shuanglian.core.sealing"],
                                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                env={**os.environ, "PYTHONPATH": path})
                _write_frame(self._helper.stdin, encryption_key + index_key)
            except OSError as exc:
                self._without_helper(exc)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def add(self, id_number: str, phone: str) -> None:
        self._ids.append(id_number)
        self._phones.append(phone)
        if self._helper is not None and len(self._ids) >= self.CHUNK:
            self._send()

    def _send(self) -> None:
        ids, phones = self._ids, self._phones
        self._ids, self._phones = [], []
        self._chunks.append((ids, phones))
        if self._helper is not None:
            joined_ids, joined_phones = "\n".join(ids), "\n".join(phones)
            # One frame must read back as the same values: none may hold a separator.
            if joined_ids.count("\n") + joined_phones.count("\n") != 2 * len(ids) - 2 or "\0" in joined_ids \
                    or "\0" in joined_phones:
                raise ValueError("an ID number or phone to seal holds a newline or NUL")
            try:
                _write_frame(self._helper.stdin, f"{joined_ids}\0{joined_phones}".encode())
            except OSError as exc:
                self._without_helper(exc)

    def _without_helper(self, exc: BaseException | str) -> None:
        log.warning("sealing in process: the helper process failed (%s)", exc)
        self.close()

    def results(self) -> tuple[list[str], list[str], list[str], list[str]]:
        if self._ids:
            self._send()
        columns: tuple[list[str], list[str], list[str], list[str]] = ([], [], [], [])
        answers = self._answers()
        kit = None
        for n, (ids, phones) in enumerate(self._chunks):
            parts: Sequence[list[str]]
            if answers is not None:
                parts = [joined.decode().split("\n") for joined in answers[4 * n:4 * n + 4]]
            else:
                kit = kit or _Kit(*self._keys)
                parts = kit.seal(ids, phones)
            for column, part in zip(columns, parts, strict=True):
                column.extend(part)
        self._chunks = []
        return columns

    def _answers(self) -> list[bytes] | None:
        """The helper's four frames per chunk, or None if it failed (the caller seals in process)."""
        if self._helper is None:
            return None
        try:
            stdin = self._helper.stdin
            assert stdin is not None  # started with stdin=PIPE
            _write_frame(stdin, b"")
            stdin.close()
            answers = []
            for _ in range(4 * len(self._chunks)):
                frame = _read_frame(self._helper.stdout)
                if frame is None:
                    break
                answers.append(frame)
            status = self._helper.wait()
        except OSError as exc:
            self._without_helper(exc)
            return None
        if status != 0 or len(answers) != 4 * len(self._chunks):
            self._without_helper(f"exit status {status}")
            return None
        self._helper = None
        return answers

    def close(self) -> None:
        if self._helper is not None:
            self._helper.kill()
            self._helper.wait()
            self._helper = None


if __name__ == "__main__":
    sys.exit(_helper_main())
