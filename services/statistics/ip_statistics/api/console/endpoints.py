"""The console's pages: server-rendered HTML in Chinese, every figure and every action
read or done through the public APIs with the signed-in user's own token."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, quote, unquote

import httpx
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from fastapi.templating import Jinja2Templates

from ip_statistics.api.console import figures, network, session
from ip_statistics.api.console.client import SERVICE_LABELS, Answer, PublicApis
from shared.http.routes import StrictRoute

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
TEMPLATES.env.filters["money"] = figures.money
TEMPLATES.env.globals["party_types"] = figures.PARTY_TYPES
TEMPLATES.env.globals["detail_names"] = figures.DETAIL_NAMES
NOTICE_COOKIE = "ipmarket_console_notice"

router = APIRouter(prefix="/console", route_class=StrictRoute, include_in_schema=False)

Text = Annotated[str | None, Query(max_length=64)]


def _apis(request: Request, current: session.Session) -> PublicApis:
    client: httpx.AsyncClient = request.app.state.console_http
    urls: dict[str, str] = request.app.state.settings.console_service_urls
    return PublicApis(client, urls, current.token)


def _page(
    request: Request,
    template: str,
    current: session.Session | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    notice = request.cookies.get(NOTICE_COOKIE)
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {"session": current, "notice": unquote(notice) if notice else None, **context},
        status_code=status_code,
    )
    if notice:
        response.delete_cookie(NOTICE_COOKIE, path=session.COOKIE_PATH)
    return response


def _to_login() -> RedirectResponse:
    return RedirectResponse("/console/login", status_code=303)


def _back(request: Request, to: str, notice: str) -> RedirectResponse:
    """Back to a page after an action, carrying one line about its outcome."""
    response = RedirectResponse(to, status_code=303)
    session.keep_cookie(request, response, NOTICE_COOKIE, quote(notice))
    return response


def _refused(request: Request, current: session.Session, why: str) -> HTMLResponse:
    return _page(request, "refused.html", current, status_code=403, why=why)


def _signed_in(
    request: Request, may: Callable[[session.Session], bool] | None = None, why: str = ""
) -> session.Session | Response:
    """The session of a page's reader, else the way to the login page, or the refusal
    when the reader's role has no business on the page."""
    current = session.current_session(request)
    if current is None:
        return _to_login()
    if may is not None and not may(current):
        return _refused(request, current, why)
    return current


async def _form(request: Request) -> dict[str, str]:
    """An urlencoded form's fields (the console's forms carry a few short values)."""
    body = (await request.body()).decode("utf-8", errors="replace")
    return {k: v[0] for k, v in parse_qs(body, max_num_fields=8).items()}


async def _checked_post(request: Request) -> session.Session | Response:
    """The session of a POST whose CSRF token matches, else the answer to give instead."""
    current = session.current_session(request)
    if current is None:
        return _to_login()
    if not session.csrf_matches(current, (await _form(request)).get("csrf")):
        return _refused(
            request, current, "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试。"
        )
    return current


# --- signing in and out ------------------------------------------------------------------


def _login_page(request: Request, error: str | None = None, status_code: int = 200) -> Response:
    nonce = session.login_nonce(request)
    response = _page(request, "login.html", None, status_code, nonce=nonce, error=error)
    session.keep_login_nonce(request, response, nonce)
    return response


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request) -> Response:
    return _login_page(request)


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    form = await _form(request)
    if not session.login_nonce_matches(request, form.get("nonce")):
        return _login_page(request, "登录表单已过期，请重新提交。", 400)
    token = form.get("token", "").strip()
    if token.lower().startswith("bearer "):
        token = token[7:].strip()
    try:
        session.principal_of(request, token)
    except session.SignInRefused as exc:
        return _login_page(request, str(exc), 401)
    response = RedirectResponse("/console/", status_code=303)
    session.keep_session(request, response, token)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    current = await _checked_post(request)
    if not isinstance(current, session.Session):
        return current
    response = _to_login()
    session.end_session(response)
    return response


# --- pages -------------------------------------------------------------------------------


def _this_year(request: Request) -> int:
    """This year in Asia/Shanghai, by the service's clock."""
    return int(request.app.state.runtime.clock.today().year)


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> Response:
    current = _signed_in(request)
    if not isinstance(current, session.Session):
        return current
    # An organisation that reads no statistics (an exchange, an insurer) is not asked to.
    summary = (
        await figures.summary(_apis(request, current), _this_year(request))
        if current.sees_statistics
        else None
    )
    return _page(request, "home.html", current, summary=summary)


@router.get("/network", response_class=HTMLResponse)
async def network_page(request: Request) -> Response:
    current = _signed_in(
        request, lambda s: s.sees_network, "网络页面仅供平台运营方和已连接的交易机构查看。"
    )
    if not isinstance(current, session.Session):
        return current
    view = await network.network_view(
        _apis(request, current), with_dead_letters=current.is_operator
    )
    return _page(request, "network.html", current, view=view, labels=SERVICE_LABELS)


async def _network_action(
    request: Request, act: Callable[[PublicApis], Awaitable[str]]
) -> Response:
    """A button of the network page: checked (session, CSRF), done as the user, and back
    to the page with a line saying how it went."""
    current = await _checked_post(request)
    if not isinstance(current, session.Session):
        return current
    return _back(request, "/console/network", await act(_apis(request, current)))


@router.post("/network/deliveries/{delivery_id}/replay")
async def replay_delivery(request: Request, delivery_id: str) -> Response:
    async def act(apis: PublicApis) -> str:
        answer = await apis.post("webhooks", f"/v1/deliveries/{quote(delivery_id, safe='')}/replay")
        return "已重新推送该条投递" if answer.ok else f"重新推送失败：{answer.problem}"

    return await _network_action(request, act)


@router.post("/network/endpoints/{endpoint_id}/replay")
async def replay_endpoint(request: Request, endpoint_id: str) -> Response:
    async def act(apis: PublicApis) -> str:
        path = f"/v1/endpoints/{quote(endpoint_id, safe='')}/replay"
        answer = await apis.post("webhooks", path, json={})
        if not answer.ok:
            return f"重新推送失败：{answer.problem}"
        return f"已重新推送该端点的 {answer.body.get('replayed', 0)} 条失败投递"

    return await _network_action(request, act)


@router.post("/network/dead-letters/{service}/redrive")
async def redrive(request: Request, service: str) -> Response:
    async def act(apis: PublicApis) -> str:
        if service not in apis.services:
            return f"未知服务：{service}"
        answer = await apis.post(service, "/v1/operations/dead-letters/redrive")
        return f"{SERVICE_LABELS.get(service, service)}：{network.redrive_summary(answer)}"

    return await _network_action(request, act)


def _form_query(
    measure: Text = None,
    month_from: Annotated[str | None, Query(alias="from", max_length=16)] = None,
    month_to: Annotated[str | None, Query(alias="to", max_length=16)] = None,
    region: Text = None,
    industry: Text = None,
    party_type: Text = None,
) -> figures.Query | None:
    """The statistics form's choices; None before a measure is chosen."""
    if not measure:
        return None
    return figures.Query(measure, month_from, month_to, region, industry, party_type)


FormQuery = Annotated[figures.Query | None, Depends(_form_query)]


@router.get("/statistics", response_class=HTMLResponse)
async def statistics_page(request: Request, query: FormQuery) -> Response:
    current = _signed_in(
        request,
        lambda s: s.sees_statistics,
        "统计页面仅供监管部门、运营方、专利权人和质权银行查看。",
    )
    if not isinstance(current, session.Session):
        return current
    today = request.app.state.runtime.clock.today()
    view = await figures.statistics_view(_apis(request, current), query, today)
    return _page(request, "statistics.html", current, view=view)


async def _export(request: Request, params: dict[str, str], kind: str) -> Response:
    current = _signed_in(request)
    if not isinstance(current, session.Session):
        return current
    opened = await _apis(request, current).open_stream(
        "statistics", f"/v1/statistics/figures.{kind}", params
    )
    if isinstance(opened, Answer):
        return _page(
            request,
            "refused.html",
            current,
            status_code=opened.status or 502,
            why=f"导出失败：{opened.problem}",
        )
    upstream = opened

    async def relay() -> AsyncIterator[bytes]:
        try:
            async for chunk in upstream.aiter_raw():
                yield chunk
        finally:
            await upstream.aclose()

    headers = {
        name: upstream.headers[name]
        for name in ("content-type", "content-disposition", "content-encoding")
        if name in upstream.headers
    }
    headers.setdefault("content-disposition", f'attachment; filename="figures.{kind}"')
    return StreamingResponse(relay(), headers=headers)


@router.get("/statistics/figures.{kind}")
async def export(request: Request, kind: str, query: FormQuery, group_by: Text = None) -> Response:
    """The statistics API's CSV or XLSX export, fetched with the user's token and streamed
    back, so the token never reaches the page."""
    if kind not in ("csv", "xlsx"):
        return Response("unknown export format; csv or xlsx", status_code=404)
    params = query.params(group_by) if query else ({"group_by": group_by} if group_by else {})
    return await _export(request, params, kind)


@router.get("/inventory", response_class=HTMLResponse)
async def inventory_page(request: Request) -> Response:
    current = _signed_in(
        request, lambda s: s.sees_inventory, "存量专利页面仅供监管部门、运营方和专利权人查看。"
    )
    if not isinstance(current, session.Session):
        return current
    year = _this_year(request)
    view = await figures.inventory_view(_apis(request, current), year)
    return _page(request, "inventory.html", current, view=view, year=year)
