"""The reports' API tests run on the fixed October store."""

from tests.fixtures.reports import store  # noqa: F401
