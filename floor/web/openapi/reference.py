"""The API reference, written from the OpenAPI description: Markdown for docs/reference/api.md, HTML for /api/docs.

Both come from the one document `floor.web.openapi.spec()` (itself checked against the app's routes and
fuzzed), so neither can drift from what the API does. `floor docs` writes the Markdown; a test compares.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

ORDER = ("get", "post", "put", "patch", "delete")


def _schema_text(schema: dict[str, Any]) -> str:
    """A JSON schema in a few words: its type and constraints."""
    if not schema:
        return "any"
    kind = schema.get("type", "object" if "properties" in schema else "any")
    if isinstance(kind, list):
        kind = " or ".join(kind)
    if kind == "array":
        kind = f"array of {_schema_text(schema.get('items', {}))}"
    parts = [str(kind)]
    if "enum" in schema:
        parts.append("one of " + ", ".join(str(v) for v in schema["enum"]))
    for key, word in (
        ("format", "format"),
        ("pattern", "pattern"),
        ("minLength", "min length"),
        ("maxLength", "max length"),
        ("minimum", "min"),
        ("maximum", "max"),
        ("maxItems", "max items"),
    ):
        if key in schema:
            parts.append(f"{word} {schema[key]}")
    if schema.get("description"):
        parts.append(str(schema["description"]))
    return "; ".join(parts)


def operations(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Each operation of the document: method, path, summary, parameters, body fields, responses."""
    for path, methods in doc["paths"].items():
        for method in sorted(methods, key=lambda m: ORDER.index(m) if m in ORDER else len(ORDER)):
            spec = methods[method]
            params = [
                (p["name"], p["in"], bool(p.get("required")), _schema_text(p.get("schema", {})))
                for p in spec.get("parameters", [])
            ]
            body = spec.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            fields = []
            if isinstance(body, dict):
                required = set(body.get("required", []))
                for name, sub in body.get("properties", {}).items():
                    fields.append((name, name in required, _schema_text(sub)))
            yield {
                "method": method.upper(),
                "path": path,
                "summary": spec.get("summary", ""),
                "params": params,
                "body": fields,
                "has_body": body is not None,
                "responses": sorted(spec.get("responses", {})),
                "token": "security" in spec,
            }


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown(doc: dict[str, Any]) -> str:
    """The API reference as Markdown."""
    out = [
        "# HTTP API reference",
        "",
        "Generated from the OpenAPI description (`GET /api/openapi.json`, browsable at `/api/docs`) by `floor docs`;",
        "do not edit by hand (a test compares). " + str(doc["info"].get("description", "")),
        "",
    ]
    for entry in operations(doc):
        out += [f"## `{entry['method']} {entry['path']}`", "", entry["summary"], ""]
        if entry["token"]:
            out += ["A write: bearer token (`[api] tokens`) or the kiosk's session, and the acting badge.", ""]
        if entry["params"]:
            out += ["| parameter | in | required | schema |", "|---|---|---|---|"]
            out += [f"| `{n}` | {w} | {'yes' if r else 'no'} | {_cell(t)} |" for n, w, r, t in entry["params"]]
            out.append("")
        if entry["body"]:
            out += ["| body field | required | schema |", "|---|---|---|"]
            out += [f"| `{n}` | {'yes' if r else 'no'} | {_cell(t)} |" for n, r, t in entry["body"]]
            out.append("")
        elif entry["has_body"]:
            out += ["Body: a JSON object (see the OpenAPI description).", ""]
        out += ["Answers: " + ", ".join(entry["responses"]), ""]
    return "\n".join(out).rstrip() + "\n"


def html_page(doc: dict[str, Any]) -> str:
    """The API reference as one HTML page (no script, no CDN: served at /api/docs)."""
    e = html.escape
    toc, body = [], []
    for n, entry in enumerate(operations(doc)):
        anchor = f"op{n}"
        toc.append(
            f'<li><a href="#{anchor}"><code>{e(entry["method"])} {e(entry["path"])}</code></a> {e(entry["summary"])}</li>'
        )
        section = [
            f'<section id="{anchor}"><h2><code>{e(entry["method"])} {e(entry["path"])}</code></h2>',
            f"<p>{e(entry['summary'])}</p>",
        ]
        if entry["params"]:
            rows = "".join(
                f"<tr><td><code>{e(n_)}</code></td><td>{e(w)}</td><td>{'yes' if r else 'no'}</td><td>{e(t)}</td></tr>"
                for n_, w, r, t in entry["params"]
            )
            section.append(
                f"<table><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th></tr>{rows}</table>"
            )
        if entry["body"]:
            rows = "".join(
                f"<tr><td><code>{e(n_)}</code></td><td>{'yes' if r else 'no'}</td><td>{e(t)}</td></tr>"
                for n_, r, t in entry["body"]
            )
            section.append(f"<table><tr><th>body field</th><th>required</th><th>schema</th></tr>{rows}</table>")
        section.append(f"<p>Answers: {e(', '.join(entry['responses']))}</p></section>")
        body.append("".join(section))
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor HTTP API</title>'
        '<link rel="stylesheet" href="/kiosk/static/kiosk.css"></head><body class="api-docs">'
        f"<h1>floor HTTP API</h1><p>{e(str(doc['info'].get('description', '')))}</p>"
        '<p>The machine-readable description: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p>'
        f"<ul>{''.join(toc)}</ul>{''.join(body)}</body></html>"
    )
