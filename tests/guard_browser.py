"""Driving the guard page in headless Chromium (Debian's chromium and chromium-driver, through Selenium).

Shared by tests/test_guard_page_browser.py and bench/guard_page.py. Nothing here touches the
network: the page is a local file, and Chromium starts with everything that phones home turned off.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-default-browser-check",
)


def missing() -> str | None:
    """What is missing to run the browser tests, or None."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium (pip install selenium)"
    for path in (CHROMIUM, DRIVER):
        if not os.access(path, os.X_OK):
            return f"{path} (apt-get install chromium chromium-driver)"
    return None


class GuardBrowser:
    def __init__(self, camera_file: Path | None = None):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="cmdpost-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self.profile}")
        if camera_file is not None:
            options.add_argument("--use-fake-device-for-media-stream")
            options.add_argument("--use-fake-ui-for-media-stream")
            options.add_argument(f"--use-file-for-fake-video-capture={camera_file}")
        self.driver = webdriver.Chrome(options=options, service=Service(DRIVER))
        self.version = self.driver.capabilities.get("browserVersion", "?")

    def open(self, page: Path, fragment: str = "") -> None:
        self.driver.get(page.resolve().as_uri() + fragment)
        self.wait(lambda: self.data("ready") == "1" or self.text("verdict-zh").startswith("本页无法运行"))
        assert self.data("ready") == "1", self.text("verdict-zh")

    def reload(self) -> None:
        self.driver.refresh()
        self.wait(lambda: self.data("ready") == "1")

    def wait(self, condition, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the guard page did not answer")
            time.sleep(0.05)

    def data(self, name: str) -> str:
        return self.driver.execute_script(f"return document.body.dataset.{name} || ''")

    def text(self, element_id: str) -> str:
        return self.driver.execute_script(f"return document.getElementById('{element_id}').textContent")

    def type_scan(self, payload: str) -> str:
        """Type a payload and Enter into the focused box, as a keyboard-wedge scanner does; the verdict word."""
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys

        before = self.data("taken")
        ActionChains(self.driver).send_keys(payload + Keys.ENTER).perform()  # into whatever has focus
        self.wait(lambda: self.data("taken") != before)
        return self.text("verdict-code")

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)
