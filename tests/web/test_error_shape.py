"""One error shape for every API answer, from one handler registered once (issue 23)."""

from __future__ import annotations

from typing import Any

import pytest

SHAPE = {"code", "error", "error_zh"}


def _shape(resp: Any) -> dict[str, Any]:
    body = resp.get_json()
    assert isinstance(body, dict) and body.keys() >= SHAPE, (resp.status_code, resp.get_data(as_text=True)[:300])
    assert all(isinstance(body[k], str) and body[k] for k in SHAPE), body
    return body


def test_a_rule_refusal_an_http_error_and_a_bad_body_share_one_shape(client, shop):
    """GIVEN the API WHEN a rule refuses (unknown job), a route is unknown, a method is wrong, a body is not JSON,
    a report period is backwards and a label kind is unknown THEN each answer is `{"code", "error", "error_zh"}`
    with the status of its kind, and the 405 names the methods the route takes in `Allow`."""
    unknown_job = client.get("/api/workorders/NO-SUCH-JOB")
    assert unknown_job.status_code == 404 and _shape(unknown_job)["code"] == "unknown_wo"

    no_route = client.get("/api/no-such-thing")
    assert no_route.status_code == 404 and _shape(no_route)["code"] == "not_found"

    wrong_method = client.delete("/api/parts")
    assert wrong_method.status_code == 405 and _shape(wrong_method)["code"] == "method_not_allowed"
    assert "POST" in wrong_method.headers["Allow"]

    not_json = client.post("/api/scans", data=b"x", content_type="text/plain")
    assert not_json.status_code == 400
    assert "请求无效" in _shape(not_json)["error_zh"]

    backwards = client.get("/api/reports/kpis?from=2026-11-20&to=2026-11-01")
    assert backwards.status_code == 400 and _shape(backwards)["code"] == "bad_period"

    bad_label = client.post("/api/labels", json={"kind": "nope", "id": "x", "format": "zpl"})
    assert bad_label.status_code in (400, 401, 403)
    _shape(bad_label)


def test_an_unexpected_error_is_a_500_in_the_same_shape_without_details(app, client):
    """GIVEN a route that fails unexpectedly WHEN called THEN a 500 in the one shape, code `internal_error`,
    and no exception text reaches the client."""

    @app.get("/api/_test_boom")
    def _boom() -> str:
        raise RuntimeError("secret SQL text")

    resp = client.get("/api/_test_boom")
    assert resp.status_code == 500
    body = _shape(resp)
    assert body["code"] == "internal_error" and "secret" not in resp.get_data(as_text=True)


def test_the_handlers_are_registered_once_on_the_app_not_per_blueprint(app):
    """GIVEN the app THEN no blueprint registers an error handler of its own: refusals have one home."""
    per_blueprint = {bp: handlers for bp, handlers in app.error_handler_spec.items() if bp is not None and handlers}
    assert per_blueprint == {}, per_blueprint
    from floor.core.refusal import Refusal

    assert Refusal in app.error_handler_spec[None][None]


@pytest.mark.parametrize("code", ["bad_period", "month_signed", "unknown_badge", "role_denied", "unknown_wo"])
def test_every_status_comes_from_the_one_table(code):
    """GIVEN a refusal code THEN its HTTP status is read from the one table (the core carries none)."""
    from floor.core.reports import ReportError
    from floor.http.errors import http_status

    assert not hasattr(ReportError("bad_period"), "status")
    assert http_status(code) in (400, 403, 404, 409)
