"""The `[vehicles]` and `[billing]` config tables (SPEC 10.1, 10.2): known keys, defaults, bad values refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from floor.config import ConfigError
from floor.config.settings import billing_settings, vin_check_digit
from floor.core.repair.settings import BillingSettings
from tests.conftest import make_config


def test_defaults_without_the_tables():
    """GIVEN no [vehicles] or [billing] table THEN the check digit is checked and nothing is priced by accident."""
    cfg = make_config()
    assert vin_check_digit(cfg) is True
    assert billing_settings(cfg) == BillingSettings(Decimal(0), Decimal(0))


def test_the_tables_read():
    """GIVEN a site outside the check-digit regions with a labour rate and a tax THEN they are read as given."""
    cfg = make_config(vehicles={"vin_check_digit": False}, billing={"labour_rate": "380.00", "tax_pct": 13})
    assert vin_check_digit(cfg) is False
    assert billing_settings(cfg) == BillingSettings(Decimal("380.00"), Decimal(13))


@pytest.mark.parametrize(
    ("tables", "words"),
    [
        ({"vehicles": {"vin_check": False}}, "vin_check_digit"),  # a typo: the nearest known key is named
        ({"billing": {"labour_rates": 1}}, "labour_rate"),
    ],
)
def test_unknown_keys_are_refused(tables, words):
    """GIVEN a misspelt key THEN the config is refused naming the key it probably meant."""
    with pytest.raises(ConfigError, match=words):
        make_config(**tables)


@pytest.mark.parametrize(
    "tables",
    [
        {"vehicles": {"vin_check_digit": "no"}},
        {"billing": {"labour_rate": "lots"}},
        {"billing": {"labour_rate": -1}},
        {"billing": {"tax_pct": 101}},
        {"billing": {"tax_pct": True}},
        {"billing": {"tax_pct": "NaN"}},
    ],
)
def test_bad_values_are_refused(tables):
    """GIVEN a value of the wrong kind or out of range THEN reading the settings raises ConfigError."""
    cfg = make_config(**tables)
    with pytest.raises(ConfigError):
        vin_check_digit(cfg)
        billing_settings(cfg)
