"""`quizapp serve`: the study app in a real headless Chromium, and the access token beyond loopback.

The browser test needs Debian's chromium and chromedriver (.ci/run installs them) and Selenium,
pointed at /usr/bin/chromedriver so Selenium Manager never downloads a browser. xterm.js draws on a
canvas, so the page has no terminal text in its DOM: a script added before the page loads copies
what the app sends over the websocket, and the test reads that with the escape codes removed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
TIMEOUT = 30.0

# Keeps, in window.__quizappOut, the text of every websocket message the page receives.
RECORD_WEBSOCKET = """
(() => {
  window.__quizappOut = [];
  const Native = window.WebSocket;
  const Recording = function (...args) {
    const ws = new Native(...args);
    ws.addEventListener("message", (event) => {
      const data = event.data;
      if (typeof data === "string") window.__quizappOut.push(data);
      else if (data instanceof ArrayBuffer) window.__quizappOut.push(new TextDecoder().decode(data));
      else if (data && data.text) data.text().then((text) => window.__quizappOut.push(text));
    });
    return ws;
  };
  Recording.prototype = Native.prototype;
  Object.assign(Recording, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  window.WebSocket = Recording;
})();
"""

ESCAPES = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-B]|[=>78])")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(condition: Callable[[], object], what: str, timeout: float = TIMEOUT) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def start_server(tmp_path: Path, *args: str) -> tuple[subprocess.Popen[bytes], Path]:
    log = tmp_path / "serve.log"
    env = {**os.environ, "QUIZAPP_DATA_DIR": str(tmp_path / "data")}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "quizapp", "serve", *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # its app processes too are stopped with the group
        )
    return proc, log


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):  # any app process left behind in the group
        os.killpg(proc.pid, signal.SIGKILL)


def serving(log: Path) -> str:
    match = re.search(r"serving the study app on (\S+)", log.read_text(errors="replace"))
    return match.group(1) if match else ""


@pytest.fixture
def chrome(tmp_path: Path) -> Iterator[object]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("no Chromium here: .ci/run installs Debian's chromium and chromium-driver")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1200,800",
        f"--user-data-dir={tmp_path / 'chromium'}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        driver.set_page_load_timeout(TIMEOUT)
        driver.set_script_timeout(TIMEOUT)
        yield driver
    finally:
        driver.quit()


def test_a_practice_answer_given_in_the_browser_is_stored(tmp_path: Path, chrome: object) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver: object = chrome
    port = free_port()
    proc, log = start_server(tmp_path, "--port", str(port))
    try:
        url = wait_for(lambda: serving(log), "the server's address")
        assert url == f"http://127.0.0.1:{port}/"  # loopback: no token
        wait_for(lambda: status(url) == 200, "the page")
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_WEBSOCKET})
        driver.get(url)

        def screen() -> str:
            chunks = driver.execute_script("return window.__quizappOut || [];")
            return ESCAPES.sub("", "".join(chunks))

        def shows(*words: str, after: int = 0) -> Callable[[], bool]:
            return lambda: all(word in screen()[after:] for word in words)

        wait_for(shows("Flashcards", "Practice", "Practice exam"), "the Home screen in the browser")
        # xterm.js reads keys from a hidden textarea: focus it, then type as a person would.
        textarea = driver.find_element(By.CSS_SELECTOR, "textarea.xterm-helper-textarea")
        driver.execute_script("arguments[0].focus();", textarea)

        def type_key(key: str) -> None:
            ActionChains(driver).send_keys(key).perform()

        def press(key: str, *expected: str) -> None:
            seen = len(screen())
            type_key(key)
            wait_for(shows(*expected, after=seen), f"{expected} after pressing {key!r}")

        press("p", "Practise what?")
        press(Keys.ENTER, "Practice ·")
        type_key("1")  # picks option 1 (or, for an ordering question, does nothing)
        time.sleep(0.5)
        press(Keys.ENTER, "/1 right")
        time.sleep(1.0)  # let the app's write land before the browser goes away
        driver.get("about:blank")  # closes the websocket: textual-serve stops that app
    finally:
        stop_server(proc)
    assert proc.returncode is not None
    stats = subprocess.run(
        [sys.executable, "-m", "quizapp", "stats", "--json", "--data-dir", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["answered"] == 1


def test_beyond_loopback_a_request_without_the_printed_token_is_refused(tmp_path: Path) -> None:
    port = free_port()
    proc, log = start_server(tmp_path, "--port", str(port), "--host", "0.0.0.0")
    try:
        url = wait_for(lambda: serving(log), "the server's address")
        token = re.search(r"\?token=([A-Za-z0-9_-]{20,})$", url)
        assert token, url
        assert "this machine's address for 127.0.0.1" in log.read_text()
        base = f"http://127.0.0.1:{port}/"
        wait_for(lambda: status(base) == 403, "a refusal without the token")
        assert status(f"{base}?token=wrong") == 403
        assert status(f"{base}ws") == 403
        assert status(f"{base}?token={token.group(1)}") == 200
    finally:
        stop_server(proc)


def test_serve_refuses_a_bad_port_with_usage() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "quizapp", "serve", "--port", "70000"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "usage: quizapp serve" in proc.stderr


def test_beyond_loopback_the_browser_uses_the_app_through_the_printed_address(
    tmp_path: Path, chrome: object
) -> None:
    from selenium.webdriver.common.by import By

    driver: object = chrome
    port = free_port()
    proc, log = start_server(tmp_path, "--port", str(port), "--host", "0.0.0.0")
    try:
        url = wait_for(lambda: serving(log), "the server's address")
        wait_for(lambda: status(url) == 200, "the page")
        driver.get(f"http://127.0.0.1:{port}/")
        assert "needs the access token" in driver.find_element(By.TAG_NAME, "body").text
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_WEBSOCKET})
        driver.get(url)  # the token in the address; the cookie it sets lets the websocket through

        def screen() -> str:
            return ESCAPES.sub("", "".join(driver.execute_script("return window.__quizappOut || [];")))

        wait_for(lambda: "Practice exam" in screen(), "the Home screen through the token's address")
    finally:
        stop_server(proc)


def test_a_taken_port_is_one_clear_error_and_no_address(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "quizapp", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "QUIZAPP_DATA_DIR": str(tmp_path / "data")},
        )
    assert proc.returncode == 1
    assert f"cannot serve on 127.0.0.1:{port}" in proc.stderr
    assert "serving" not in proc.stdout
    assert "Traceback" not in proc.stderr
