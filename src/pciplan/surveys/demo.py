"""Demo: the shipped instruments and a 2020 survey by Phòng QLCN&TTCN with SYNTHETIC responses.

The responses are generated with a fixed seed so the estimate pages have content. They are not survey
results: the survey, every response and every page that shows them say so ("Dữ liệu mô phỏng").
Idempotent: running it twice creates nothing new.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.db import transaction

from pciplan.orgs.models import Organisation

from . import services
from .instrument import shipped_specs
from .models import Instrument, Response, Survey, SurveyStatus

SEED = 2020
N_FIRMS = 186
DEMO_TITLE = "Khảo sát dịch vụ liên quan tới công nghệ mà doanh nghiệp sử dụng và có nhu cầu — năm 2020"
SYNTHETIC_NOTE = ("DỮ LIỆU MÔ PHỎNG: các phiếu trả lời của cuộc khảo sát mẫu này do máy sinh ngẫu nhiên "
                  f"(hạt giống {SEED}) để minh họa cách tính ước lượng; không phải kết quả khảo sát thật và không "
                  "được dùng làm số liệu báo cáo.")

# Parameters of the synthetic generator (invented for illustration, not estimates of anything).
_P_USE = 0.43
_P_PRIVATE = 0.66
_P_CONTINUE = 0.78
_P_SKIP = 0.04


def load_instruments() -> dict[str, Instrument]:
    out = {}
    for spec in shipped_specs():
        instrument = Instrument.objects.filter(code=spec["code"], version=spec["version"]).first()
        if instrument is None:
            instrument = services.instrument_create(actor=None, spec=spec, is_template=True)
        out[spec["code"]] = instrument
    return out


def synthetic_answers(instrument: Instrument, n: int = N_FIRMS, seed: int = SEED) -> list[tuple[dict, dt.date]]:
    """Seeded synthetic answers that follow the instrument's skip logic."""
    rng = np.random.default_rng(seed)
    questions = {q.name: q for q in instrument.questions.all()}

    def pick(name, p=None):
        values = [v for v, _ in questions[name].choices]
        return str(rng.choice(values, p=p))

    start = dt.date(2020, 9, 3)
    out = []
    for _ in range(n):
        a = {
            "quy_mo": pick("quy_mo", [0.52, 0.33, 0.11, 0.04]),
            "nganh": pick("nganh", [0.38, 0.52, 0.10]),
            "huyen": pick("huyen", [0.24, 0.10, 0.09, 0.07, 0.07, 0.03, 0.08, 0.16, 0.10, 0.06]),
            "so_huu": pick("so_huu", [0.12, 0.58, 0.24, 0.01, 0.05]),
        }
        larger = a["quy_mo"] in ("50_199", "200_tro_len")
        used = rng.random() < _P_USE + (0.15 if larger else 0.0)
        a["cn_su_dung"] = "co" if used else "khong"
        if used:
            providers = [v for v, p in (("tu_nhan", _P_PRIVATE), ("nha_nuoc", 0.35), ("to_chuc_khac", 0.10))
                         if rng.random() < p] or ["nha_nuoc"]
            if rng.random() >= _P_SKIP:
                a["cn_nha_cung_cap"] = sorted(providers, key=["nha_nuoc", "tu_nhan", "to_chuc_khac"].index)
            if rng.random() >= _P_SKIP:
                a["cn_tiep_tuc"] = "co" if rng.random() < _P_CONTINUE else "khong"
        needs = [v for v, p in (("chuyen_giao", 0.35), ("so_huu_tri_tue", 0.28), ("tieu_chuan_chat_luong", 0.30),
                                ("chuyen_doi_so", 0.45), ("tu_van_danh_gia", 0.18), ("khoi_nghiep", 0.08),
                                ("khac", 0.04)) if rng.random() < p]
        a["cn_nhu_cau"] = needs or ["khong_co"]
        day = start + dt.timedelta(days=int(rng.integers(0, 78)))
        out.append((a, day))
    return out


@transaction.atomic
def load_survey(instruments: dict[str, Instrument]) -> Survey | None:
    owner = Organisation.objects.filter(code="bg-so-khcn-qlcn").first()
    if owner is None:
        return None
    survey = Survey.objects.filter(owner=owner, title=DEMO_TITLE).first()
    if survey is not None:
        return survey
    from pciplan.plans.models import Plan

    plan = Plan.objects.filter(code="bg-so-khcn-pci-2020").first()
    survey = services.survey_create(
        actor=None, instrument=instruments["pci-dich-vu-cong-nghe"], owner=owner, title=DEMO_TITLE, year=2020,
        plan=plan, opens_on=dt.date(2020, 9, 1), closes_on=dt.date(2020, 12, 15), is_synthetic=True,
        note=SYNTHETIC_NOTE)
    survey = services.survey_open(actor=None, survey=survey)
    Response.objects.bulk_create([
        Response(survey=survey, source=Response.Source.SYNTHETIC, submitted_on=day, answers=answers,
                 is_synthetic=True,
                 consents=[{"purpose": "mo_phong", "text": "Phiếu mô phỏng, không có người trả lời.", "granted": True,
                            "on": day.isoformat()}])
        for answers, day in synthetic_answers(survey.instrument)])
    services.estimates_recompute(survey=survey)
    return survey


def load_demo() -> str:
    instruments = load_instruments()
    survey = load_survey(instruments)
    if survey is None:
        return f"{len(instruments)} bộ câu hỏi; chưa có đơn vị mẫu nên chưa tạo cuộc khảo sát"
    status = SurveyStatus(survey.status).label
    return (f"{len(instruments)} bộ câu hỏi; khảo sát mẫu “{survey.title}” ({status}, "
            f"{survey.responses.count()} phiếu MÔ PHỎNG)")
