"""The workshop's API tests: the small shop plus a core bin, and a counter with a label printer."""

from tests.fixtures.workorders import cfg, workshop  # noqa: F401
