"""The kiosk's import page: a dealer catalogue imports in the background with a progress bar (zh and en)."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from floor.kiosk.admin import BACKGROUND_ROWS
from floor.models import Part
from tests.kiosk.helpers import csrf_token
from tests.waiting import wait_for


def catalogue(n: int) -> bytes:
    return ("part_no,name,unit_cost\n" + "\n".join(f"C{i:05d},Cat {i},1.00" for i in range(n))).encode()


def upload(client, data: bytes, badge: str = "S001"):
    token = csrf_token(client, "/kiosk/admin/import")
    return client.post(
        "/kiosk/admin/import",
        data={"kind": "parts", "by_badge": badge, "csrf_token": token, "file": (io.BytesIO(data), "cat.csv")},
        content_type="multipart/form-data",
    )


def test_a_catalogue_imports_with_a_progress_page(client, shop):
    """GIVEN a parts file longer than the background threshold WHEN uploaded THEN 303 to its run page, which
    polls its progress partial until the import is done; then the parts are there and the bar is full."""
    rows = BACKGROUND_ROWS + 10
    r = upload(client, catalogue(rows))
    assert r.status_code == 303
    page_url = r.headers["Location"]
    first = client.get(page_url).get_data(as_text=True)
    assert 'id="import-progress"' in first and "cat.csv" in first
    progress_url = page_url + "/progress"
    assert wait_for(lambda: 'data-status="done"' in client.get(progress_url).get_data(as_text=True), timeout=120)
    done = client.get(progress_url).get_data(as_text=True)
    assert f'value="{rows}" max="{rows}"' in done and "hx-trigger" not in done  # no more polling
    assert f"{rows} of {rows} rows (100%)" in done
    zh = client.get(progress_url + "?lang=zh").get_data(as_text=True)
    assert "已导入" in zh
    with shop.reading() as s:
        assert s.scalar(select(func.count()).select_from(Part).where(Part.part_no.like("C%"))) == rows


def test_a_small_file_still_answers_at_once(client, shop):
    """GIVEN a 3-row parts file WHEN uploaded THEN it is imported in the request (200, rows imported)."""
    r = upload(client, catalogue(3))
    assert r.status_code == 200 and "3 rows imported" in r.get_data(as_text=True)


def test_an_unknown_run_is_404(client, shop):
    """GIVEN no such import WHEN its page is asked for THEN 404."""
    assert client.get("/kiosk/admin/import/424242").status_code == 404
