"""Consent per purpose (Luật Bảo vệ dữ liệu cá nhân 2025): asked on the public form, never pre-ticked,
kept with the words that were shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Purpose:
    code: str
    text: str
    required: bool


PURPOSES = (
    Purpose(
        "thong_ke",
        "Tôi đồng ý để cơ quan thực hiện khảo sát dùng câu trả lời của doanh nghiệp (không kèm tên, địa chỉ hay "
        "thông tin liên hệ) để tính các tỷ lệ tổng hợp phục vụ kế hoạch nâng cao chỉ số PCI. Kết quả chỉ công bố "
        "dưới dạng tổng hợp; nhóm có ít hơn 5 doanh nghiệp không được hiển thị riêng.",
        True,
    ),
    Purpose(
        "lien_he",
        "Tôi đồng ý để cơ quan thực hiện khảo sát liên hệ với doanh nghiệp qua thông tin dưới đây để giới thiệu các "
        "dịch vụ hỗ trợ. Thông tin liên hệ được lưu riêng, không gắn với câu trả lời, và bị xóa khi hết thời hạn lưu "
        "giữ sau khi cuộc khảo sát kết thúc.",
        False,
    ),
)


def consent_record(purpose: Purpose, granted: bool, on: dt.date) -> dict:
    """What is kept as evidence: the purpose, the exact words shown, the choice and the day."""
    return {"purpose": purpose.code, "text": purpose.text, "granted": bool(granted), "on": on.isoformat()}
