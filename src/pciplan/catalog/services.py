"""Writes to the catalog: editions and their weights, published results."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from pciplan.lib.errors import DomainError
from pciplan.lib.numbers import format_number

from .models import Edition, SubIndex

WEIGHT_TOLERANCE = Decimal("0.001")


def check_weights(weights: dict[str, Decimal]) -> None:
    """Refuse weights outside 0–100% or not summing to 100%."""
    for code, weight in weights.items():
        if weight is None or weight < 0 or weight > 100:
            raise DomainError(f"Trọng số của chỉ số “{code}” phải nằm trong khoảng 0–100%.", field=code)
    total = sum(weights.values(), Decimal(0))
    if abs(total - 100) > WEIGHT_TOLERANCE:
        raise DomainError(
            f"Tổng trọng số các chỉ số thành phần phải bằng 100% (hiện là {format_number(total, 3, strip=True)}%)."
        )


@transaction.atomic
def edition_set_weights(*, edition: Edition, weights: dict[str, Decimal], actor=None) -> Edition:
    """Set an edition's sub-index weights; the whole vector must sum to 100%."""
    from pciplan.audit.services import audit_record

    subindices = {s.code: s for s in SubIndex.objects.select_for_update().filter(edition=edition)}
    unknown = set(weights) - set(subindices)
    if unknown:
        raise DomainError(f"Chỉ số thành phần không có trong phiên bản {edition.code}: {', '.join(sorted(unknown))}.")
    merged = {code: Decimal(str(weights.get(code, s.weight))) for code, s in subindices.items()}
    check_weights(merged)
    before = {code: str(s.weight) for code, s in subindices.items()}
    for code, s in subindices.items():
        if s.weight != merged[code]:
            s.weight = merged[code]
            s.full_clean()
            s.save(update_fields=["weight"])
    audit_record(actor=actor, obj=edition, action="update", before={"weights": before},
                 after={"weights": {k: str(v) for k, v in merged.items()}}, message="Cập nhật trọng số")
    return edition
