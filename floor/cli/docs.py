"""`floor docs`: write the generated references (configuration, HTTP API) into docs/reference, or check them."""

from __future__ import annotations

from pathlib import Path

import click

REFERENCES = ("config.md", "api.md")


def generated() -> dict[str, str]:
    """The text of each generated reference page, by file name."""
    from floor.config.reference import markdown as config_markdown
    from floor.web.openapi import spec
    from floor.web.openapi.reference import markdown as api_markdown

    return {"config.md": config_markdown(), "api.md": api_markdown(spec())}


@click.command("docs")
@click.option("--out", default="docs/reference", show_default=True, help="Folder of the generated pages.")
@click.option("--check", is_flag=True, help="Write nothing; fail if a page differs from what would be written.")
def docs_command(out: str, check: bool) -> None:
    """Write docs/reference/config.md (from the config registry) and api.md (from the OpenAPI description)."""
    folder = Path(out)
    stale = []
    for name, text in generated().items():
        path = folder / name
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path))
            continue
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        click.echo(f"wrote {path}")
    if stale:
        raise click.ClickException(f"out of date: {', '.join(stale)}; run `floor docs` and commit the result")
