"""Bad input everywhere: every form of the product gets generated junk (Hypothesis) from a person allowed to
submit it. No answer is a server error, and a refused submission (4xx) writes nothing at all.

The field names come from the page itself (its inputs, selects, text areas and file inputs), so a form
that gains a field is fuzzed on it without changing this test. Values mix what people type by mistake
and what an attacker sends: Vietnamese text, 7,61 and 7.61, day-first and impossible dates, huge
numbers, markup, NUL characters, very long strings; files are random bytes or broken ZIPs. Each example
runs in a savepoint that is rolled back.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_permission_matrix import build_objects, url_for

pytestmark = pytest.mark.django_db
EXAMPLES = 6

# (route, object key, who submits, also take field names from this GET route when the route is POST-only)
FORMS = [
    ("login", "-", "anonymous", None),
    ("security:password_change", "-", "unit_member", None),
    ("security:totp_setup", "-", "coordinator", None),
    ("api_tokens", "-", "unit_member", None),
    ("catalog:result_enter", "-", "coordinator", "catalog:results_import"),
    ("catalog:indicator_enter", "-", "coordinator", "catalog:results_import"),
    ("catalog:file_preview", "-", "coordinator", "catalog:results_import"),
    ("plans:import", "-", "coordinator", None),
    ("plans:task_create", "A", "coordinator", None),
    ("plans:target_edit", "A", "coordinator", None),
    ("plans:task_status", "A", "unit_member", "plans:task"),
    ("reports:save", "A", "unit_member", "reports:report"),
    ("reports:evidence_add", "A", "unit_member", "reports:report"),
    ("reports:import", "A", "unit_member", None),
    ("reports:consolidated", "A", "coordinator", None),
    ("evaluation:conclusion", "A", "coordinator", "evaluation:detail"),
    ("evaluation:remark", "A", "coordinator", "evaluation:unit"),
    ("evaluation:reopen", "A", "leader", "evaluation:detail"),
    ("surveys:create", "-", "unit_member", None),
    ("surveys:instrument_import", "-", "unit_member", None),
    ("surveys:invitations", "A", "unit_member", None),
    ("surveys:import", "A", "unit_member", None),
    ("surveys:public", "public", "anonymous", None),
]

_NAME = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"[^>]*>', re.I)
_FILE = re.compile(r'<input\b[^>]*type="file"[^>]*\bname="([^"]+)"|<input\b[^>]*\bname="([^"]+)"[^>]*type="file"', re.I)

junk_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "7,61", "7.61", "-1", "0", "1e309", "99999999999999999999", "15/8/2020", "31/2/2020",
                     "2020-13-45", "NaN", "<script>alert(1)</script>", "' OR 1=1 --", "\x00", "Đồng Tháp", "done",
                     "in_progress", "tiep-nhan", "true", "on"]),
    st.text(alphabet="0123456789,.-/ ", max_size=12),
    st.just("Rất dài " * 2000),
)
junk_file = st.one_of(
    st.binary(max_size=2000),
    st.just(b"PK\x03\x04" + b"\x00" * 100),  # the start of a ZIP (XLSX/DOCX) and nothing after
    st.just("mã,điểm\n1,7;61\n\"không đóng".encode()),
)


def field_names(client, url) -> tuple[list[str], list[str]]:
    response = client.get(url)
    html = response.content.decode("utf-8", "replace") if response.status_code == 200 else ""
    files = {a or b for a, b in _FILE.findall(html)}
    names = [n for n in dict.fromkeys(_NAME.findall(html)) if n != "csrfmiddlewaretoken" and n not in files]
    return names, sorted(files)


def row_counts() -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.count() for m in apps.get_models()
            if not m._meta.proxy and m._meta.label_lower not in {"sessions.session", "security.signinthrottle",
                                                                 "security.signinevent"}}


@pytest.fixture
def objects(personas, settings, tmp_path):
    from pciplan.surveys import services as surveys

    settings.STORAGES = {**settings.STORAGES, "default": {  # uploads of this test go to a temporary folder
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}

    objs = build_objects(personas)
    survey = objs["A"].survey
    if survey.status != "open":
        surveys.survey_open(actor=personas["admin"], survey=survey)
    token = surveys.invitations_create(actor=personas["unit_member"], survey=survey, count=1)[0].token
    objs["public"] = type(objs["A"])(**{**vars(objs["A"]), "token": token})
    return objs


@pytest.mark.parametrize("route, key, role, page", FORMS,
                         ids=[(f.values if hasattr(f, "values") else f)[0] for f in FORMS])
def test_no_form_answers_junk_with_a_server_error_or_a_partial_write(route, key, role, page, personas, objects):
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(personas[role])
    o = objects[key]
    url = url_for(route, o)
    names, files = field_names(client, url_for(page, o) if page else url)
    names = names or ["text", "value", "name"]

    @given(values=st.fixed_dictionaries(dict.fromkeys(names, junk_text)),
           uploads=st.fixed_dictionaries(dict.fromkeys(files, junk_file)))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def submit(values, uploads):
        sid = transaction.savepoint()
        try:
            before = row_counts()
            data = {**values, **{n: SimpleUploadedFile(f"{n}.xlsx", b) for n, b in uploads.items()}}
            response = client.post(url, data)
            assert response.status_code < 500, f"{route}: {response.status_code} for {values!r}"
            if response.status_code >= 400:
                after = row_counts()
                changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
                assert not changed, f"{route}: refused ({response.status_code}) but wrote {changed}"
        finally:
            transaction.savepoint_rollback(sid)

    submit()
