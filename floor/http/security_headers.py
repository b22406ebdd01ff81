"""Browser protections on every response: CSP (our own files only), no framing by others, nosniff, referrer.

The kiosk loads only its own scripts and styles (htmx is vendored); sizes that used to be
inline `style=` attributes are set by kiosk.js from data- attributes. A page that must
carry an inline <style> (the printable variance report) marks it with `csp_nonce()`.
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, g

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'{nonce}; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self'"
)
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "SAMEORIGIN",  # frame-ancestors for browsers that predate CSP 2
}


def csp_nonce() -> str:
    """A nonce for this response's inline <style> (one per request)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return str(g.csp_nonce)


def init_security_headers(app: Flask) -> None:
    """Send the headers on every response of the app."""
    app.add_template_global(csp_nonce, "csp_nonce")

    @app.after_request
    def _security_headers(resp: Response) -> Response:
        nonce = g.get("csp_nonce")
        resp.headers.setdefault("Content-Security-Policy", CSP.format(nonce=f" 'nonce-{nonce}'" if nonce else ""))
        for name, value in HEADERS.items():
            resp.headers.setdefault(name, value)
        return resp
