import pytest

from tests.publicity.factories import eco_department


@pytest.fixture
def eco(db, system_actor):
    """淄博市生态环境局: NDRC regimes (Order 36 from 2026-04-01)."""
    return eco_department(system_actor)
