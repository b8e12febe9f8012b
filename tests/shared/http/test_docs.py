"""/docs and /redoc of every service refer to nothing outside the service: each script,
stylesheet, icon and document they load comes from the service itself."""

from __future__ import annotations

import importlib
import re
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from fastapi import FastAPI

SERVICES = [
    "listing",
    "license",
    "pledge",
    "registry_sync",
    "webhooks",
    "matching",
    "ip_statistics",
]
BASE = "http://testserver"

# Hosts that the stock FastAPI pages and the upstream bundles load from.
CDN_HOSTS = (
    "cdn.jsdelivr.net",
    "unpkg.com",
    "fonts.googleapis.com",
    "fonts.gstatic.com",
    "cdn.redoc.ly",
    "fastapi.tiangolo.com",
)
CONTENT_TYPES = {
    ".js": ("text/javascript", "application/javascript"),
    ".css": ("text/css",),
    ".png": ("image/png",),
    ".svg": ("image/svg+xml",),
    ".json": ("application/json",),
}


def service_app(name: str) -> FastAPI:
    """The service's real application, without its lifespan: the documentation pages and
    their files need neither the database nor the broker."""
    app: FastAPI = importlib.import_module(f"{name}.main").create_app()
    return app


@pytest.fixture(params=SERVICES)
async def client(request: pytest.FixtureRequest) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=service_app(request.param))
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
        yield http


class References(HTMLParser):
    """Every URL a page names: attributes, and string literals in its inline scripts."""

    URL_ATTRIBUTES = frozenset({"src", "href", "spec-url", "action", "data", "poster"})
    # '...' or "..." holding a path or an absolute URL, and url(...) in inline styles.
    LITERAL = re.compile(r"""['"]((?:[a-z][a-z0-9+.-]*:)?//[^'"\s]+|/[^'"\s]*)['"]""")
    CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self._in_script_or_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script_or_style = tag in {"script", "style"}
        for name, value in attrs:
            if value and (name in self.URL_ATTRIBUTES or name.endswith("-url")):
                self.urls.append(value)

    def handle_endtag(self, tag: str) -> None:
        self._in_script_or_style = False

    def handle_data(self, data: str) -> None:
        if self._in_script_or_style:
            self.urls += self.LITERAL.findall(data) + self.CSS_URL.findall(data)


def references(html: str) -> list[str]:
    parser = References()
    parser.feed(html)
    parser.close()
    return parser.urls


def is_own(url: str, page: str) -> bool:
    absolute = urlsplit(urljoin(page, url))
    return absolute.scheme in {"http", "https"} and absolute.netloc == urlsplit(BASE).netloc


async def fetch_same_origin(http: httpx.AsyncClient, page: str, url: str) -> httpx.Response:
    response = await http.get(urljoin(page, url))
    assert response.status_code == 200, f"{url} (from {page}): {response.status_code}"
    return response


def assert_content_type(url: str, response: httpx.Response) -> None:
    path = urlsplit(url).path
    suffix = path[path.rfind(".") :]
    content_type = response.headers["content-type"]
    assert content_type.startswith(CONTENT_TYPES[suffix]), f"{url}: {content_type}"


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_the_page_refers_only_to_the_service_and_every_file_is_served(
    client: httpx.AsyncClient, page: str
) -> None:
    response = await client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert not [host for host in CDN_HOSTS if host in html]
    urls = references(html)
    foreign = [url for url in urls if not is_own(url, BASE + page)]
    assert foreign == []
    # The script (Swagger UI) or the stylesheet link is there: the page is not a stub.
    assert any(url.endswith(".js") for url in urls)
    assets = [url for url in urls if urlsplit(url).path.rsplit(".", 1)[-1] in {"js", "css", "png"}]
    assert assets
    for url in urls:
        fetched = await fetch_same_origin(client, BASE + page, url)
        if url in assets or url.endswith(".json"):
            assert_content_type(url, fetched)
            assert fetched.content, f"{url} is empty"


async def test_swagger_ui_is_set_up_without_any_outside_service(
    client: httpx.AsyncClient,
) -> None:
    html = (await client.get("/docs")).text
    urls = references(html)
    assert "/openapi.json" in urls
    assert "/docs/oauth2-redirect" in urls
    # No badge that sends the document to the public validator.
    assert '"validatorUrl": null' in html
    # The OAuth2 redirect page is self-contained: no script or style of its own to load.
    redirect = await client.get("/docs/oauth2-redirect")
    assert redirect.status_code == 200
    assert references(redirect.text) == []


async def test_redoc_loads_no_google_fonts_and_finds_its_logo_beside_the_page(
    client: httpx.AsyncClient,
) -> None:
    html = (await client.get("/redoc")).text
    assert "fonts.googleapis.com" not in html
    script = next(url for url in references(html) if url.endswith(".js"))
    bundle = (await client.get(script)).text
    # The packaged bundle asks for its sidebar logo at the page's path + "/logo-mini.svg"
    # instead of Redocly's CDN.
    assert 'window.location.pathname+"/logo-mini.svg"' in bundle
    logo = await client.get("/redoc/logo-mini.svg")
    assert logo.status_code == 200
    assert logo.headers["content-type"].startswith("image/svg+xml")


async def test_the_stylesheet_and_scripts_pull_in_nothing_from_outside(
    client: httpx.AsyncClient,
) -> None:
    files: dict[str, str] = {}
    for page in ("/docs", "/redoc"):
        for url in references((await client.get(page)).text):
            if url.endswith((".js", ".css")):
                files[url] = (await client.get(url)).text
    assert len(files) == 3  # Swagger UI's script and stylesheet, ReDoc's script
    for url, text in files.items():
        assert not [host for host in CDN_HOSTS if host in text], url
        if url.endswith(".css"):
            assert "@import" not in text, url
            loaded = References.CSS_URL.findall(text)
            assert loaded, url  # the stylesheet's icons, inline
            assert all(target.startswith("data:") for target in loaded), url


async def test_behind_a_path_prefix_every_url_carries_the_prefix() -> None:
    transport = httpx.ASGITransport(app=service_app("listing"), root_path="/listing")
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
        for page in ("/listing/docs", "/listing/redoc"):
            response = await http.get(page)
            assert response.status_code == 200
            urls = [url for url in references(response.text) if url.startswith("/")]
            assert urls
            assert all(url.startswith("/listing/") for url in urls), urls
            for url in urls:
                await fetch_same_origin(http, BASE + page, url)
