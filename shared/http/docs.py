"""/docs (Swagger UI) and /redoc (ReDoc) with every script, stylesheet and icon served by
the service itself, so that the pages work where public CDNs are out of reach (an
intranet, a sandbox).

FastAPI's own pages load Swagger UI and ReDoc from a CDN, and ReDoc's fonts from Google
Fonts. Here the application is created with ``docs_url=None, redoc_url=None`` and these
routes take their place, as FastAPI documents under "Custom Docs UI Static Assets
(Self-Hosting)". The files come from the ``fastapi-standalone-docs`` package (pinned in
pyproject.toml), which ships Swagger UI and ReDoc's standalone bundle with their licences
and FastAPI's favicon. Only its files are used, not its ``StandaloneDocs`` class, which
replaces functions of ``fastapi.applications`` for every application in the process.

URLs, all under the application's ``root_path`` when it has one:

- ``/docs``, ``/docs/oauth2-redirect``: Swagger UI and its OAuth2 redirect page;
- ``/redoc``: ReDoc;
- ``/docs/assets/swagger/…``, ``/docs/assets/redoc/…``, ``/docs/assets/fastapi/…``: the
  files, each folder with its licence;
- ``/redoc/logo-mini.svg``: the logo in ReDoc's sidebar, which the packaged bundle asks
  for beside the page (the upstream bundle loads it from Redocly's CDN).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_URL = "/docs"
REDOC_URL = "/redoc"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"
ASSETS_URL = "/docs/assets"

SWAGGER_JS = f"{ASSETS_URL}/swagger/swagger-ui-bundle.js"
SWAGGER_CSS = f"{ASSETS_URL}/swagger/swagger-ui.css"
REDOC_JS = f"{ASSETS_URL}/redoc/redoc.standalone.js"
FAVICON = f"{ASSETS_URL}/fastapi/favicon.png"

# Swagger UI's layout "BaseLayout" (FastAPI's default) shows no validator badge; saying so
# explicitly keeps it from ever sending the document to the public validator.
SWAGGER_UI_PARAMETERS = {"validatorUrl": None}


def assets_directory() -> Path:
    """The packaged ``static`` folder: ``swagger/``, ``redoc/`` and ``fastapi/``."""
    directory = Path(str(files("fastapi_standalone_docs") / "static"))
    if not (directory / "swagger" / "swagger-ui-bundle.js").is_file():
        raise RuntimeError(f"Swagger UI's files are missing from {directory}")
    return directory


def install_docs(app: FastAPI) -> None:
    """Add /docs, /docs/oauth2-redirect, /redoc and their files to an application created
    with ``docs_url=None, redoc_url=None`` (and its ``swagger_ui_oauth2_redirect_url`` set
    to :data:`OAUTH2_REDIRECT_URL`)."""
    assets = assets_directory()
    # Mounted before the pages; Starlette matches a Mount only on paths below its own
    # ("/redoc/..."), so the page "/redoc" stays a route of its own.
    app.mount(ASSETS_URL, StaticFiles(directory=assets), name="docs-assets")
    app.mount(REDOC_URL, StaticFiles(directory=assets / "redoc"), name="redoc-assets")
    openapi_url = app.openapi_url or "/openapi.json"

    def root(request: Request) -> str:
        return str(request.scope.get("root_path", "")).rstrip("/")

    @app.get(DOCS_URL, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        base = root(request)
        return get_swagger_ui_html(
            openapi_url=base + openapi_url,
            title=f"{app.title} - Swagger UI",
            swagger_js_url=base + SWAGGER_JS,
            swagger_css_url=base + SWAGGER_CSS,
            swagger_favicon_url=base + FAVICON,
            oauth2_redirect_url=base + OAUTH2_REDIRECT_URL,
            init_oauth=app.swagger_ui_init_oauth,
            swagger_ui_parameters={**SWAGGER_UI_PARAMETERS, **(app.swagger_ui_parameters or {})},
        )

    @app.get(OAUTH2_REDIRECT_URL, include_in_schema=False)
    async def swagger_ui_oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get(REDOC_URL, include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        base = root(request)
        return get_redoc_html(
            openapi_url=base + openapi_url,
            title=f"{app.title} - ReDoc",
            redoc_js_url=base + REDOC_JS,
            redoc_favicon_url=base + FAVICON,
            with_google_fonts=False,
        )
