"""The labels API tests: a workshop with Chinese names, cores and a count; a simulated printer."""

from tests.labels.conftest import cfg, labels_db, printer_cfg, sim  # noqa: F401
