"""Uploads waiting for a second step go through the storage backend (ops.pending), not a local folder."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.core.files.storage import FileSystemStorage, InMemoryStorage
from django.utils import timezone

from pciplan.ops import pending


@pytest.mark.parametrize("make", [InMemoryStorage, None], ids=["memory", "filesystem"])
def test_put_get_drop(make, tmp_path):
    storage = make() if make else FileSystemStorage(location=tmp_path)
    key = pending.put("survey-imports", b"a,b\n1,2\n", storage=storage)
    assert pending.get("survey-imports", key, storage=storage) == b"a,b\n1,2\n"
    assert pending.get("other", key, storage=storage) is None
    pending.drop("survey-imports", key, storage=storage)
    assert pending.get("survey-imports", key, storage=storage) is None


@pytest.mark.parametrize("key", [None, "", "../../settings", "0" * 31, "g" * 32, "0" * 32 + "/x"])
def test_a_malformed_key_reads_nothing(key):
    storage = InMemoryStorage()
    assert pending.get("survey-imports", key, storage=storage) is None
    pending.drop("survey-imports", key, storage=storage)  # no error, nothing removed


def test_old_files_are_swept(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    old = pending.put("survey-imports", b"old", storage=storage)
    fresh = pending.put("survey-imports", b"fresh", storage=storage)
    two_days_ago = (timezone.now() - dt.timedelta(days=2)).timestamp()
    os.utime(storage.path(f"pending/survey-imports/{old}.bin"), (two_days_ago, two_days_ago))
    assert pending.sweep("survey-imports", storage=storage) == 1
    assert pending.get("survey-imports", old, storage=storage) is None
    assert pending.get("survey-imports", fresh, storage=storage) == b"fresh"


def test_nothing_to_sweep_in_an_empty_storage():
    assert pending.sweep("survey-imports", storage=InMemoryStorage()) == 0
