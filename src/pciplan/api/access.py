"""A token is its owner's (administrators see every token)."""

from pciplan.orgs.access import Access, Scope, register

from .models import ApiToken


@register(ApiToken)
def token_access(scope: Scope, token: ApiToken) -> Access:
    mine = scope.authenticated and token.user_id == scope.user.pk
    return Access(read=mine or scope.is_admin, edit=mine or scope.is_admin)
