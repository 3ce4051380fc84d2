"""Backups: the database and the uploaded files in one ZIP archive, written and read through Django.

No external binary (``pg_dump``): the rows go out as JSON lines through Django's serializers with
natural keys for content types and permissions, so an archive made on SQLite restores on PostgreSQL
and back. Primary keys are kept, so links and ids stay valid.

Archive layout::

    manifest.json   format, time, database, applied migrations, rows per model, files with SHA-256
    data.jsonl      every row (``dumpdata --natural-foreign --all``), one JSON object a line, datetimes
                    to the microsecond
    files/<name>    every file in the default storage (file system or S3)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers import register_serializer
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "pciplan-backup"
VERSION = 1
# Rebuilt by `migrate` (content types, permissions) or short-lived (sessions, sign-in counters).
EXCLUDED = ("contenttypes", "auth.permission", "sessions", "security.signinthrottle")
_EXCLUDED_TABLES = {"django_content_type", "auth_permission", "django_session", "django_migrations",
                    "security_signinthrottle"}
CHUNK = 1024 * 1024
DATA_FORMAT = "pcjsonl"  # JSON lines with full-precision datetimes (pciplan.ops.serializer)
register_serializer(DATA_FORMAT, "pciplan.ops.serializer")


class BackupError(Exception):
    pass


@dataclass
class BackupResult:
    path: Path
    rows: dict[str, int] = field(default_factory=dict)
    files: dict[str, dict] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _models():
    """The models a backup holds (concrete, managed, not excluded)."""
    out = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if (model._meta.proxy or not model._meta.managed or label in EXCLUDED
                or model._meta.app_label in EXCLUDED):
            continue
        out.append(model)
    return out


def _row_counts(using: str) -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.using(using).count() for m in _models()}


def _applied_migrations(using: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _storage_files(storage, path: str = "") -> list[str]:
    try:
        dirs, files = storage.listdir(path)
    except (FileNotFoundError, NotADirectoryError):
        return []
    names = [f"{path}/{f}" if path else f for f in files]
    for d in dirs:
        if not path and d == "pending":
            continue  # uploads waiting for a second step (ops.pending) expire within a day
        names.extend(_storage_files(storage, f"{path}/{d}" if path else d))
    return sorted(names)


def _sha256_file(handle) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def backup(path: str | os.PathLike, *, using: str = DEFAULT_DB_ALIAS, storage=None) -> BackupResult:
    """Write a consistent archive of the database and the uploaded files to ``path``."""
    storage = storage or default_storage
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    result = BackupResult(path=path)
    connection = connections[using]
    with tempfile.TemporaryDirectory(prefix="pciplan-backup-") as tmp:
        data_path = Path(tmp) / "data.jsonl"
        outermost = not connection.in_atomic_block  # inside a caller's transaction the snapshot is already fixed
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql" and outermost:  # one snapshot for every table
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            result.rows = _row_counts(using)
            call_command("dumpdata", format=DATA_FORMAT, natural_foreign=True, use_base_manager=True,
                         exclude=list(EXCLUDED), database=using, output=str(data_path), verbosity=0)
            migrations = _applied_migrations(using)
        with open(data_path, "rb") as handle:
            data_sha, data_size = _sha256_file(handle)
        partial = path.with_name(path.name + ".partial")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            archive.write(data_path, "data.jsonl")
            for name in _storage_files(storage):
                digest, size = hashlib.sha256(), 0
                with storage.open(name, "rb") as src, archive.open(f"files/{name}", "w", force_zip64=True) as dst:
                    while chunk := src.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        dst.write(chunk)
                result.files[name] = {"size": size, "sha256": digest.hexdigest()}
            manifest = {
                "format": FORMAT, "version": VERSION, "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "database": connection.vendor, "migrations": migrations, "rows": result.rows,
                "data": {"size": data_size, "sha256": data_sha}, "files": result.files,
            }
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        os.replace(partial, path)  # a half-written archive never takes the name of a good one
    return result


def read_manifest(path: str | os.PathLike) -> dict:
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError, OSError) as exc:
        raise BackupError(f"Không đọc được tệp sao lưu {path}: {exc}")
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError("Tệp không phải bản sao lưu pciplan (hoặc khác phiên bản định dạng).")
    return manifest


def verify(path: str | os.PathLike) -> dict:
    """Check every member of the archive against the manifest's checksums; returns the manifest."""
    manifest = read_manifest(path)
    with zipfile.ZipFile(path) as archive:
        with archive.open("data.jsonl") as handle:
            if _sha256_file(handle)[0] != manifest["data"]["sha256"]:
                raise BackupError("Dữ liệu trong tệp sao lưu bị hỏng (sai mã kiểm tra).")
        for name, info in manifest["files"].items():
            try:
                with archive.open(f"files/{name}") as handle:
                    if _sha256_file(handle)[0] != info["sha256"]:
                        raise BackupError(f"Tệp {name} trong bản sao lưu bị hỏng.")
            except KeyError:
                raise BackupError(f"Thiếu tệp {name} trong bản sao lưu.")
    return manifest


def _restorable_tables(using: str) -> list[str]:
    connection = connections[using]
    return sorted(set(connection.introspection.django_table_names(only_existing=True)) - _EXCLUDED_TABLES)


def restore(path: str | os.PathLike, *, using: str = DEFAULT_DB_ALIAS, storage=None, replace: bool = False) -> dict:
    """Load an archive into a migrated database (empty, or emptied first with ``replace``).

    Everything or nothing: the archive is verified before anything is touched, the rows are loaded in
    one transaction and counted against the manifest, and the files are written before it commits.
    """
    storage = storage or default_storage
    manifest = verify(path)
    applied = _applied_migrations(using)
    missing = sorted(f"{app}.{name}" for app, names in manifest["migrations"].items()
                     for name in names if name not in applied.get(app, []))
    if missing:
        raise BackupError("Cơ sở dữ liệu chưa có đủ cấu trúc của bản sao lưu; chạy `pciplan migrate` trước. "
                          f"Thiếu: {', '.join(missing[:5])}{'…' if len(missing) > 5 else ''}")
    unknown = sorted(set(manifest["rows"]) - {m._meta.label_lower for m in _models()})
    if unknown:
        raise BackupError(f"Bản sao lưu có dữ liệu của phần mềm không cài ở đây: {', '.join(unknown)}.")
    connection = connections[using]
    with tempfile.TemporaryDirectory(prefix="pciplan-restore-") as tmp:
        data_path = Path(tmp) / f"data.{DATA_FORMAT}"
        with zipfile.ZipFile(path) as archive, archive.open("data.jsonl") as src, open(data_path, "wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
        with transaction.atomic(using=using):
            present = {label: n for label, n in _row_counts(using).items() if n}
            if present and not replace:
                raise BackupError("Cơ sở dữ liệu đang có dữ liệu; thêm --replace để xóa và thay bằng bản sao lưu. "
                                  f"Đang có: {', '.join(sorted(present)[:5])}…")
            if present:
                statements = connection.ops.sql_flush(no_style(), _restorable_tables(using), reset_sequences=False,
                                                      allow_cascade=True)
                with connection.cursor() as cursor:
                    for sql in statements:
                        cursor.execute(sql)
            if manifest["data"]["size"]:
                _load(data_path, using)
            counts = _row_counts(using)
            wrong = {label: (counts.get(label, 0), n) for label, n in manifest["rows"].items() if counts.get(label, 0) != n}
            if wrong:
                raise BackupError(f"Khôi phục không đủ dòng (có, cần): {wrong}")
            _restore_files(path, manifest, storage, replace=replace)
    return manifest


@contextmanager
def _stored_times_kept():
    """``auto_now``/``auto_now_add`` fields keep the archived value (bulk inserts would stamp "now")."""
    switched = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                switched.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in switched:
            f.auto_now, f.auto_now_add = now, now_add


def _load(data_path: Path, using: str, batch_size: int = 2000) -> None:
    """Insert every row of the archive in batches (``loaddata`` saves one row at a time: minutes for the
    catalog's ~100 000 published values on a busy server). Rows keep their ids; many-to-many links are
    inserted into their tables directly; sequences are moved past the highest id afterwards."""
    connection = connections[using]
    touched: set = set()
    batch: list = []

    def flush():
        if not batch:
            return
        model = type(batch[0].object)
        touched.add(model)
        if model._meta.parents:  # multi-table inheritance: bulk_create cannot, so one by one
            for item in batch:
                item.save(using=using)
        else:
            model._base_manager.using(using).bulk_create([item.object for item in batch], batch_size=500)
            for field in model._meta.many_to_many:
                through = field.remote_field.through
                if not through._meta.auto_created:
                    continue  # an explicit through model is in the archive as rows of its own
                source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
                links = [through(**{f"{source}_id": item.object.pk, f"{target}_id": value})
                         for item in batch for value in (item.m2m_data or {}).get(field.name, [])]
                through._base_manager.using(using).bulk_create(links, batch_size=1000)
                touched.add(through)
        batch.clear()

    deferred = []
    with open(data_path, encoding="utf-8") as stream, _stored_times_kept():
        for item in serializers.deserialize(DATA_FORMAT, stream, using=using, handle_forward_references=True):
            if batch and (type(item.object) is not type(batch[0].object) or len(batch) >= batch_size):
                flush()
            batch.append(item)
            if item.deferred_fields:
                deferred.append(item)
        flush()
    for item in deferred:
        item.save_deferred_fields(using=using)
    statements = connection.ops.sequence_reset_sql(no_style(), list(touched))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _restore_files(path, manifest: dict, storage, *, replace: bool) -> None:
    wanted = manifest["files"]
    if replace:
        for name in _storage_files(storage):
            if name not in wanted:
                storage.delete(name)
    with zipfile.ZipFile(path) as archive:
        for name in wanted:
            if storage.exists(name):
                storage.delete(name)
            with archive.open(f"files/{name}") as src:
                saved = storage.save(name, File(src, name=os.path.basename(name)))
            if saved != name:
                raise BackupError(f"Không ghi được tệp {name} đúng tên (được {saved}).")
