"""`quizapp serve`: the study app in a browser, through textual-serve.

Each browser tab gets its own app process, started as `python -m quizapp.cli.webapp` with this
command's --data-dir and --bank-dir, so the browser studies with the same progress as the terminal.
Bound to 127.0.0.1 by default: anyone who can reach the port can study as you (and read your
progress), so a --host beyond this machine needs a random access token, printed at start, which the
first page request must carry (`?token=`); the page then sets a cookie for the websocket and assets.
"""

from __future__ import annotations

import argparse
import contextlib
import hmac
import ipaddress
import secrets
import shlex
import sys
from pathlib import Path
from typing import Any

TOKEN_COOKIE = "quizapp_token"


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host` (no token is needed then)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def port_number(text: str) -> int:
    """argparse type for --port: a usage error (exit 2) unless 1..65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number (1-65535): {port}")
    return port


def app_command(args: argparse.Namespace) -> str:
    """The shell command textual-serve runs per tab (it uses a shell, so every word is quoted)."""
    words = [sys.executable, "-m", "quizapp.cli.webapp"]
    if args.data_dir:
        words += ["--data-dir", str(Path(args.data_dir).expanduser().resolve())]
    for folder in args.bank_dirs:
        words += ["--bank-dir", str(Path(folder).resolve())]
    return shlex.join(words)


def token_middleware(token: str) -> Any:
    """An aiohttp middleware that refuses (403) any request without the token in ?token= or cookie."""
    from aiohttp import web

    @web.middleware
    async def check_token(request: web.Request, handler: Any) -> web.StreamResponse:
        given = request.query.get("token") or request.cookies.get(TOKEN_COOKIE) or ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise web.HTTPForbidden(text="quizapp: this address needs the access token printed at start.\n")
        response = await handler(request)
        if request.query.get("token") and not response.prepared:
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict")
        return response

    return check_token


def make_server(command: str, host: str, port: int, token: str | None) -> Any:
    """A textual-serve Server that builds page URLs from the request (so a --host of 0.0.0.0 works
    from another machine) and, with a token, checks it on every request."""
    from textual_serve.server import Server

    class QuizServer(Server):  # type: ignore[misc]
        async def _make_app(self) -> Any:
            app = await super()._make_app()
            if token is not None:
                app.middlewares.append(token_middleware(token))
            return app

        async def handle_index(self, request: Any) -> Any:
            # The page's websocket URL comes from public_url; take it from the address the browser used.
            self.public_url = f"{request.scheme}://{request.host}"
            return await super().handle_index(request)

        async def on_startup(self, app: Any) -> None:
            """Quiet: textual-serve prints its banner here, before the port is bound."""

        def serve(self, debug: bool = False) -> None:
            # textual-serve's serve(), announcing the address only once the port is bound (a taken
            # port then gets one error, not "serving on ..." followed by a failure).
            import asyncio
            import signal

            from aiohttp import web

            self.debug = debug
            self.initialize_logging()
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signal.SIGINT, self.request_exit)
                loop.add_signal_handler(signal.SIGTERM, self.request_exit)
            web.run_app(
                self._make_app(), host=host, port=port, handle_signals=False, loop=loop, print=announce
            )

    def announce(_message: str) -> None:
        shown = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
        url = f"http://{shown}:{port}/"
        if token is not None:
            url += f"?token={token}"
        print(f"quizapp: serving the study app on {url}", flush=True)
        if token is not None:
            print("quizapp: requests without this token are refused.", flush=True)
        if shown != host:
            print("quizapp: from another machine, use this machine's address for 127.0.0.1.", flush=True)
        print("quizapp: press Ctrl+C to stop.", flush=True)

    return QuizServer(command, host=host, port=port, title="quizapp")


def serve(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from quizapp.cli.common import bank_dirs

    bank_dirs(args, parser)  # a --bank-dir that is not a folder is a usage error here, not in each tab
    token = None if is_loopback(args.host) else secrets.token_urlsafe(24)
    server = make_server(app_command(args), args.host, args.port, token)
    try:
        server.serve()
    except OSError as exc:  # the port is taken, or the host is not one of this machine's addresses
        print(f"quizapp: cannot serve on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0
