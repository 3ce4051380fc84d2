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


# Survey contact details, matched by the e-mail or phone number the person gives. (Registered here, at the
# top of the app stack, until the surveys app registers its own provider.)
def _contact_values(subject: DataSubject) -> list[str]:
    values = [v.strip() for v in (subject.email, subject.phone) if v and v.strip()]
    if subject.user is not None and subject.user.email:
        values.append(subject.user.email)
    return values


def _survey_contacts(subject: DataSubject):
    from pciplan.surveys.models import FollowUpContact, Invitation

    values = _contact_values(subject)
    if not values:
        return None
    from django.db.models import Q

    match = Q()
    for v in values:
        match |= Q(contact__iexact=v)
    out = [{"survey": str(c.survey), "name": c.name, "contact": c.contact, "consent_text": c.consent_text,
            "given_on": c.given_on.isoformat()} for c in FollowUpContact.objects.filter(match).select_related("survey")]
    out += [{"survey": str(i.survey), "invitation_for": i.label, "contact": i.contact, "created_on": i.created_on.isoformat()}
            for i in Invitation.objects.filter(match).select_related("survey")]
    return out or None


def _erase_survey_contacts(subject: DataSubject) -> int:
    from django.db.models import Q

    from pciplan.surveys.models import FollowUpContact, Invitation

    values = _contact_values(subject)
    if not values:
        return 0
    match = Q()
    for v in values:
        match |= Q(contact__iexact=v)
    erased = FollowUpContact.objects.filter(match).delete()[0]
    erased += Invitation.objects.filter(match).update(contact="", label="")
    return erased


register(Provider("lien_he_khao_sat", _survey_contacts, _erase_survey_contacts))
