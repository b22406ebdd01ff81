"""Reception's API tests: the SPEC 9.4 workshop (a foreman, a key cabinet, a core bin)."""

from tests.fixtures.reception import cfg, workshop  # noqa: F401
