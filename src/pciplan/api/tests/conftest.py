import pytest
from django.test import Client


@pytest.fixture
def api_client(personas):
    """``api_client("coordinator")`` — a client that sends that persona's API token."""
    from pciplan.api.services import token_create

    def make(name):
        user = personas[name]
        _, raw = token_create(actor=user, user=user, name=f"kiểm thử {name}")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make
