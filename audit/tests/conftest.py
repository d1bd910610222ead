import pytest

from programmes.tests.world import build_world, use_fast_password_hasher


@pytest.fixture
def world(partner_a, partner_b):
    return build_world(partner_a, partner_b)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    use_fast_password_hasher(settings)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"
