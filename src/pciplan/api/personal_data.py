from pciplan.orgs.security.personal_data import DataSubject, Provider, register

from .models import ApiToken


def _collect(subject: DataSubject):
    if subject.user is None:
        return None
    return [{"name": t.name, "prefix": t.prefix, "created_at": t.created_at.isoformat(),
             "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
             "active": t.is_active} for t in ApiToken.objects.filter(user=subject.user)]


def _erase(subject: DataSubject) -> int:
    if subject.user is None:
        return 0
    return ApiToken.objects.filter(user=subject.user).delete()[0]


register(Provider("ma_truy_cap_api", _collect, _erase))
