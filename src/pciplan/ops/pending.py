"""Uploads waiting for a second step (a column mapping, a confirmation), kept through the storage backend.

The file goes to ``default_storage`` (the file system by default, S3-compatible object storage by
setting), never to a process's local disk, so the next request may reach any server. Only a random key
is kept in the person's session; files older than :data:`MAX_AGE` are removed whenever a new one is put.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

MAX_AGE = dt.timedelta(days=1)
_KEY = re.compile(r"^[0-9a-f]{32}$")


def _name(folder: str, key: str) -> str:
    if not _KEY.match(key or ""):
        raise ValueError("invalid pending upload key")
    return f"pending/{folder}/{key}.bin"


def put(folder: str, data: bytes, *, storage=None) -> str:
    """Store ``data``; returns the key to keep in the session."""
    storage = storage or default_storage
    sweep(folder, storage=storage)
    key = secrets.token_hex(16)
    storage.save(_name(folder, key), ContentFile(data))
    return key


def get(folder: str, key: str | None, *, storage=None) -> bytes | None:
    """The stored bytes, or None when the key is unknown, malformed or the file has expired."""
    storage = storage or default_storage
    try:
        name = _name(folder, key or "")
    except ValueError:
        return None
    try:
        with storage.open(name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None


def drop(folder: str, key: str | None, *, storage=None) -> None:
    storage = storage or default_storage
    with contextlib.suppress(ValueError, OSError):
        storage.delete(_name(folder, key or ""))


def sweep(folder: str, *, storage=None, now: dt.datetime | None = None) -> int:
    """Remove files of ``folder`` older than :data:`MAX_AGE`; returns how many were removed."""
    storage = storage or default_storage
    now = now or timezone.now()
    try:
        _, files = storage.listdir(f"pending/{folder}")
    except (FileNotFoundError, OSError):
        return 0
    removed = 0
    for filename in files:
        name = f"pending/{folder}/{filename}"
        try:
            if now - storage.get_modified_time(name) > MAX_AGE:
                storage.delete(name)
                removed += 1
        except (FileNotFoundError, OSError, NotImplementedError):
            continue
    return removed
