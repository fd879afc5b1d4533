"""The notebooks as a newcomer meets them: JupyterLab on a free loopback port, driven by real
headless Chromium (Debian's ``chromium`` and ``chromium-driver``, through Selenium).

Works on a copy of ``notebooks/`` (running cells from the UI saves them) with fresh Jupyter
config, data and runtime folders, so nothing is trusted beforehand, as on a fresh clone. Opens
01-tour unrun, then runs 01-tour, 02-action-research and 03-compare-places from the Run menu
and clicks through their widgets. Screenshots are kept in ``build/screenshots/`` (git-ignored;
``HLSGRAPH_SCREENSHOTS=DIR`` puts them elsewhere) for a person to look at.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import free_port

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
SHOTS = Path(os.environ.get("HLSGRAPH_SCREENSHOTS", ROOT / "build" / "screenshots"))
RUN_TIMEOUT = 240  # seconds for one notebook's cells, on two busy cores


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """``(base URL, token, notebook folder)`` of a JupyterLab serving a copy of the notebooks."""
    home = tmp_path_factory.mktemp("lab")
    root = home / "notebooks"
    shutil.copytree(ROOT / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    settings = home / "settings" / "@jupyterlab"
    (settings / "notebook-extension").mkdir(parents=True)
    (settings / "apputils-extension").mkdir(parents=True)
    # Every cell in the page, so the test can read all outputs (Lab otherwise leaves cells out
    # of view unrendered); what a person sees of each cell is the same. No news pop-up.
    (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    (settings / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false"}'
    )
    port, token = free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),  # a fresh trust database: nothing signed
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
    }
    log = (home / "lab.log").open("w")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "jupyter"),
            "lab",
            f"--ServerApp.root_dir={root}",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.open_browser=False",
            f"--IdentityProvider.token={token}",
            f"--LabApp.user_settings_dir={home / 'settings'}",
            f"--LabApp.workspaces_dir={home / 'workspaces'}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--allow-root",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, (home / "lab.log").read_text()
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                assert time.monotonic() < deadline, "JupyterLab did not answer within 120 s"
                time.sleep(0.5)
        yield base, token, root
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Chromium, with the options it needs as root, in a fresh profile."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail("Chromium or its driver is missing: `make setup` installs chromium and chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
        "--window-size=1400,1000",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_script_timeout(30)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()  # only this run's pictures
    try:
        yield driver
    finally:
        driver.quit()


# ------------------------------------------------------------------------ driving the page


def wait_for(driver, condition, timeout: float, what: str):
    """Wait until ``condition(driver)`` is truthy; fail saying ``what`` was awaited."""
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.5).until(lambda d: condition(d))
    except Exception as err:
        shot(driver, "timeout")
        raise AssertionError(f"timed out after {timeout} s waiting for {what}") from err


def shot(driver, name: str) -> Path:
    path = SHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def open_notebook(driver, lab, name: str):
    base, token, root = lab
    cells = json.loads((root / name).read_text(encoding="utf-8"))["cells"]
    expected = sum(cell["cell_type"] == "code" for cell in cells)
    driver.get(f"{base}/lab/tree/{name}?token={token}")
    wait_for(driver, lambda d: len(prompts(d)) == expected, 90, f"the {expected} code cells of {name}")
    wait_for(driver, lambda d: kernel_status(d) == "idle", 120, f"the kernel of {name} to start")
    return notebook(driver)


def notebook(driver):
    return driver.find_element(By.CSS_SELECTOR, ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")


def kernel_status(driver) -> str:
    """What the status bar says of the kernel: "idle", "busy", "initializing", ... ("" for none)."""
    text = driver.execute_script(
        "const s = document.querySelector('.jp-StatusBar-Widget .jp-StatusBar-TextItem[title]')"
        " || [...document.querySelectorAll('.jp-StatusBar-TextItem')].find(e => e.textContent.includes('|'));"
        "return s ? s.textContent : '';"
    )
    return text.rsplit("|", 1)[-1].strip().lower() if "|" in text else ""


def menu(driver, top: str, item: str) -> None:
    """Choose ``item`` from the ``top`` menu of the menu bar, as a person does."""
    driver.find_element(
        By.XPATH, f"//div[contains(@class,'lm-MenuBar-itemLabel') and normalize-space()='{top}']"
    ).click()
    wait_for(
        driver,
        lambda d: d.find_elements(
            By.XPATH,
            f"//li[contains(@class,'lm-Menu-item')][.//div[contains(@class,'lm-Menu-itemLabel')"
            f" and normalize-space()='{item}']]",
        ),
        10,
        f"{item!r} in the {top} menu",
    )[0].click()


def prompts(driver) -> list[str]:
    return driver.execute_script(
        "return [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) "
        ".jp-CodeCell .jp-InputPrompt')].map(p => p.textContent.trim());"
    )


def run_all(driver, name: str) -> None:
    """Run every cell from the Run menu and wait until the last has finished."""
    menu(driver, "Run", "Run All Cells")
    wait_for(
        driver,
        lambda d: all(p[1:-2].isdigit() for p in prompts(d)) and kernel_status(d) == "idle",
        RUN_TIMEOUT,
        f"every cell of {name} to run",
    )


def close_all(driver) -> None:
    """Close every tab without saving and shut its kernel down (File ▸ Close All Tabs leaves
    kernels running; the sessions API does not)."""
    driver.execute_script(
        "return fetch('/api/sessions').then(r => r.json()).then(s => Promise.all(s.map(x =>"
        " fetch('/api/sessions/' + x.id, {method: 'DELETE', headers: {'X-XSRFToken':"
        " (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || ''}}))));"
    )


def page_text(driver) -> str:
    return notebook(driver).get_attribute("textContent")


def code_cells(driver) -> list:
    return notebook(driver).find_elements(By.CSS_SELECTOR, ".jp-CodeCell")


def assert_rendered_cleanly(driver, name: str) -> None:
    """No raw widget text, no widget that failed to display, no traceback, no ``<NA>``."""
    text = page_text(driver)
    for bad in ("Error displaying widget", "VBox(children", "Traceback (most recent call last)"):
        assert bad not in text, f"{name} shows {bad!r}"
    errors = driver.find_elements(
        By.CSS_SELECTOR, ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    )
    assert not [e.text for e in errors if "Error" in e.text], f"{name} printed errors"


def widget(driver, css: str):
    """The first rendered widget of a kind (a class hlsgraph puts on its widgets' boxes)."""
    found = wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, css), 60, f"a widget {css}")
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", found[0])
    return found[0]


def choose(select_element, label_part: str) -> None:
    select = Select(select_element)
    for option in select.options:
        if label_part in option.text:
            select.select_by_visible_text(option.text)
            return
    raise AssertionError(f"no option containing {label_part!r}: {[o.text for o in select.options]}")


# ------------------------------------------------------------------------ the tests


def test_unrun_tour_shows_the_saved_widget_views(browser, lab):
    """Opened before running, as a newcomer first sees it: the explorer's saved view, not text."""
    open_notebook(browser, lab, "01-tour.ipynb")
    text = page_text(browser)
    assert "VBox(children" not in text, "the unrun notebook shows raw widget text"
    assert "Error displaying widget" not in text
    explorer = code_cells(browser)[-1]
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'});", explorer)
    shot(browser, "01-tour-unrun-explorer")
    saved = explorer.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output table")
    assert saved and saved[0].find_elements(By.CSS_SELECTOR, "tbody tr"), "no answer table in the saved view"
    assert "Trust" in explorer.text and "<NA>" not in explorer.get_attribute("textContent")
    # The page is left without saving: the next test opens the notebook afresh.
    close_all(browser)


def test_tour_runs_and_the_explorer_answers(browser, lab):
    open_notebook(browser, lab, "01-tour.ipynb")
    run_all(browser, "01-tour")
    assert_rendered_cleanly(browser, "01-tour")
    explorer = widget(browser, ".hlsgraph-explorer")
    shot(browser, "01-tour-explorer")
    choose(explorer.find_element(By.CSS_SELECTOR, ".hlsgraph-inquiry select"), "evidence-gap-map")
    explorer.find_element(By.XPATH, ".//button[normalize-space()='Run']").click()
    table = wait_for(
        browser,
        lambda d: [
            t for t in explorer.find_elements(By.CSS_SELECTOR, "table.hlsgraph-table") if t.is_displayed()
        ],
        60,
        "the explorer's answer table",
    )[0]
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(rows) > 10
    assert "place" in table.find_element(By.CSS_SELECTOR, "thead").text
    assert "<NA>" not in explorer.get_attribute("textContent")
    chart = explorer.find_element(By.CSS_SELECTOR, "img")
    wait_for(
        browser, lambda d: d.execute_script("return arguments[0].naturalWidth", chart) > 0, 30, "the chart"
    )
    # The chart is in view with the table; the table scrolls in a box of bounded height.
    assert chart.location["y"] < table.location["y"] + 600
    box = browser.execute_script(
        "let e = arguments[0]; while (e && getComputedStyle(e).overflowY !== 'auto') e = e.parentElement;"
        "return e && [e.clientHeight, e.scrollHeight];",
        table,
    )
    assert box and box[0] <= 600 < box[1], f"the answer is not in a bounded scroll box: {box}"
    # A wide answer scrolls inside its box: the explorer itself is no wider than the notebook.
    spill = browser.execute_script("return arguments[0].scrollWidth - arguments[0].clientWidth", explorer)
    assert spill <= 0, f"the explorer is {spill} px wider than its output area"
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'});", explorer)
    shot(browser, "01-tour-explorer-gap-map")


def test_action_research_runs_and_the_story_browser_shows_a_story(browser, lab):
    open_notebook(browser, lab, "02-action-research.ipynb")
    run_all(browser, "02-action-research")
    assert_rendered_cleanly(browser, "02-action-research")
    stories = widget(browser, ".hlsgraph-stories")
    reader = wait_for(
        browser,
        lambda d: [h for h in stories.find_elements(By.CSS_SELECTOR, "h3") if h.text.strip()],
        30,
        "a story in the reader",
    )
    assert reader[0].text.strip()
    assert "Where this comes from" in stories.text
    shot(browser, "02-story-browser")


def test_compare_places_runs_and_the_comparer_shows_a_heatmap(browser, lab):
    open_notebook(browser, lab, "03-compare-places.ipynb")
    run_all(browser, "03-compare-places")
    assert_rendered_cleanly(browser, "03-compare-places")
    comparer = widget(browser, ".hlsgraph-comparer")
    heatmap = wait_for(
        browser,
        lambda d: [
            i
            for i in comparer.find_elements(By.CSS_SELECTOR, "img")
            if d.execute_script("return arguments[0].naturalWidth", i) > 0
        ],
        30,
        "the comparer's heatmap",
    )
    assert heatmap[0].size["height"] > 100
    assert comparer.find_elements(By.CSS_SELECTOR, "table.hlsgraph-table tbody tr")
    shot(browser, "03-place-comparer")
