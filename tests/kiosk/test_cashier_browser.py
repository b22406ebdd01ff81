"""The cashier in headless Chromium (SPEC 10.4): a READY job invoiced, a discount above the limit approved on
the PIN pad, paid, the invoice printed in Chinese (A4 and 80 mm), the day's takings."""

from __future__ import annotations

import pytest

from tests.billing_factories import quick_ready_jobs
from tests.kiosk.conftest import shot

pytestmark = pytest.mark.browser


def test_cashier_invoices_discounts_with_the_pin_pad_and_takes_payment(live_server, page) -> None:  # type: ignore[no-untyped-def]
    quick_ready_jobs(live_server.db, ["4001"], lines=3)  # 3 x 0.5 h at 380.00 = 570.00
    page.goto(f"{live_server.url}/kiosk/cashier?lang=en")
    assert "4001" in page.inner_text("#ready-jobs")
    page.fill("#invoice-badge", "T001")
    page.fill("#invoice-job", "4001")
    page.click("#invoice-btn")
    page.wait_for_selector("#cashier-error")
    assert page.get_attribute("#cashier-error", "data-code") == "role_denied"
    page.fill("#invoice-badge", "ADV1")
    page.fill("#invoice-job", "4001")
    page.click("#invoice-btn")
    page.wait_for_selector("#invoice-lines")
    assert page.inner_text("#total-due") == "570.00"

    # 10 % is above the 5 % limit: without a supervisor it is refused; with SUP1's PIN on the pad it is given.
    page.fill("#disc-badge", "ADV1")
    page.fill("#disc-pct", "10")
    page.click("#disc-btn")
    page.wait_for_selector("#cashier-error")
    assert page.get_attribute("#cashier-error", "data-code") == "approver_required"
    page.fill("#disc-badge", "ADV1")
    page.fill("#disc-pct", "10")
    page.fill("#disc-approver", "SUP1")
    for key in "2468":
        page.click(f".pin-key[data-key='{key}']")
    assert page.input_value("#disc-pin") == "2468"
    page.click("#disc-btn")
    page.wait_for_selector("#cashier-ok")
    assert (page.inner_text("#total-customer"), page.inner_text("#total-due")) == ("513.00", "513.00")

    page.fill("#pay-badge", "ADV1")
    page.fill("#pay-amount", "600")
    page.click("#pay-btn")
    page.wait_for_selector("#cashier-error")
    assert page.get_attribute("#cashier-error", "data-code") == "overpayment"
    page.fill("#pay-badge", "ADV1")
    page.select_option("#pay-method", "card")
    page.fill("#pay-amount", "513.00")
    page.click("#pay-btn")
    page.wait_for_selector("#cashier-ok")
    assert page.get_attribute("#invoice-status", "data-status") == "paid"
    assert page.inner_text("#total-balance") == "0.00"
    shot(page, "cashier-paid")

    number = page.inner_text("h2").split(" ")[0]
    for size in ("a4", "receipt"):
        page.goto(f"{live_server.url}/kiosk/invoices/{number}/print?size={size}&lang=zh")
        assert page.inner_text("#doc-title") == f"发票 {number}"
        assert page.inner_text("#doc-due") == "513.00" and "折扣" in page.inner_text("#doc-totals")
        assert "下次保养" in page.inner_text("#doc-next-service")
    shot(page, "invoice-receipt-zh")

    page.goto(f"{live_server.url}/kiosk/takings?lang=en")
    assert page.inner_text("#takings-total") == "513.00"
    assert "513.00" in page.inner_text("#takings-card")
