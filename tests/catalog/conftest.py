import pytest

from pubcredit.catalog import registry
from tests.catalog.factories import TODAY


@pytest.fixture(scope="session")
def penalty():
    return registry.get_class("admin_penalty", on=TODAY)


@pytest.fixture(scope="session")
def license_class():
    return registry.get_class("admin_license", on=TODAY)
