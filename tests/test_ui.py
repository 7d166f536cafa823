"""End-to-end test of the Dagster UI, driven in headless Chromium by Playwright.

It proves that the command the README documents under "## The UI" (``dagster dev -w workspace.yaml ...``)
starts a webserver on which both code locations (``fedproc`` and ``clarioscope``) load and list their assets,
and that an asset materialised from the browser really runs: the run reaches *Success* in the UI, the asset
page shows the materialisation and the asset's file appears under ``$ARTIFACTS_ROOT``. Screenshots land in
``docs/``.

It needs the system Chromium at ``/usr/bin/chromium`` (``playwright install`` is never run: no network).
Without it the test is skipped, unless ``REQUIRE_BROWSER=1`` (set in CI), in which case it fails.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakes import free_port

REPO_ROOT = Path(__file__).resolve().parent.parent
README = REPO_ROOT / "README.md"
DOCS = REPO_ROOT / "docs"
CHROMIUM = Path("/usr/bin/chromium")
# The background-networking flags matter: without them Chromium keeps calling Google services.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCATIONS = {
    "fedproc": ["far_clause_registry", "sam_opportunities", "fedproc_model"],
    "clarioscope": ["clarioscope_label_schema", "intent_model"],
}
ASSET = "clarioscope_label_schema"  # no upstream, writes one small JSON file: the cheapest asset to run
ASSET_FILE = Path("clarioscope") / "label_schema.json"

SERVER_START_S = 180  # both code locations import torch and transformers: 10-30 s each on two cores
LOAD_MS = 120_000  # a code location can still be loading once the webserver answers
UI_MS = 30_000  # a page of an already loaded UI
RUN_MS = 180_000  # queued, then started in a subprocess that imports the code location again


def _require_browser() -> None:
    """Skips (or, with ``REQUIRE_BROWSER=1``, fails) when Playwright or the system Chromium is missing."""
    required = os.environ.get("REQUIRE_BROWSER") == "1"
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the `playwright` Python package")
    if not CHROMIUM.exists():
        missing.append(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    if missing:
        reason = "UI test needs " + " and ".join(missing)
        if required:
            pytest.fail(reason + " (REQUIRE_BROWSER=1)")
        pytest.skip(reason)


def readme_dev_command(port: int) -> list[str]:
    """The README's "## The UI" ``dagster dev`` command, run by this venv's dagster and on ``port``."""
    text = README.read_text(encoding="utf-8")
    section = re.search(r"^## The UI\n(.*?)(?=^## |\Z)", text, flags=re.S | re.M)
    assert section, "README.md has no '## The UI' section"
    line = next((ln for ln in section.group(1).splitlines() if re.search(r"\bdagster dev\b", ln)), None)
    assert line, "the README's '## The UI' section has no `dagster dev` command"
    words = shlex.split(line, comments=True)
    start = next(
        i for i, word in enumerate(words) if word.endswith("dagster") and words[i + 1 : i + 2] == ["dev"]
    )
    args = words[start + 1 :]
    assert "-w" in args or "--workspace" in args, f"the README command loads no workspace: {line}"
    for flag in ("-p", "--port"):
        if flag in args:
            args[args.index(flag) + 1] = str(port)
            break
    else:
        pytest.fail(f"the README command sets no port: {line}")
    # The README runs `.venv/bin/dagster`; here the dagster next to this interpreter is the same program.
    return [str(Path(sys.executable).parent / "dagster"), *args]


def _log_tail(log: Path, lines: int = 60) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""


def _default_signals() -> None:
    # A shell that starts pytest in the background leaves SIGINT ignored, and dagster maps SIGTERM onto
    # SIGINT's handler: restore both so that `dagster dev` shuts down when told to.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERMs the process group (dev, webserver, daemon, code servers, runs), then SIGKILLs stragglers."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        pass
    except ProcessLookupError:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # whatever outlived the leader (or the leader, if it hung)
    proc.wait(timeout=30)


class DagsterUI:
    def __init__(self, url: str, artifacts: Path, log: Path):
        self.url = url
        self.artifacts = artifacts
        self.log = log


@pytest.fixture(scope="module")
def dagster_ui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DagsterUI]:
    """The README's `dagster dev`, on a free port, with a fresh DAGSTER_HOME and artifacts folder."""
    _require_browser()
    tmp = tmp_path_factory.mktemp("ui")
    home, artifacts, log = tmp / "dagster_home", tmp / "artifacts", tmp / "dagster-dev.log"
    home.mkdir()
    shutil.copy(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")  # as the README's `cp dagster.yaml`
    port = free_port()
    env = {**os.environ, "DAGSTER_HOME": str(home), "ARTIFACTS_ROOT": str(artifacts), "PIPELINE_ENV": "local"}
    with log.open("wb") as out:
        # Its own process group (session), so teardown reaches the webserver, daemon, code servers and runs.
        proc = subprocess.Popen(
            readme_dev_command(port),
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_default_signals,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"`dagster dev` exited with {proc.returncode}:\n{_log_tail(log)}")
            try:
                with urllib.request.urlopen(f"{url}/server_info", timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the webserver did not answer within {SERVER_START_S} s:\n{_log_tail(log)}")
            time.sleep(1)
        yield DagsterUI(url, artifacts, log)
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def browser_context(dagster_ui: DagsterUI) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=dagster_ui.url, viewport={"width": 1600, "height": 1000})
        # Dagster shows a "Join the Dagster community" dialog over every page on a fresh local instance;
        # this is the flag its dismiss button stores.
        context.add_init_script('window.localStorage.setItem("communityNux", JSON.stringify("1"));')
        # Nothing but the local webserver: fail any request that would leave 127.0.0.1.
        context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]).*"), lambda route: route.abort())
        yield context
        context.close()
        browser.close()


@pytest.fixture
def page(browser_context: Any) -> Iterator[Any]:
    page = browser_context.new_page()
    yield page
    page.close()


def test_code_locations_and_assets_are_listed(page: Any, dagster_ui: DagsterUI) -> None:
    from playwright.sync_api import expect

    DOCS.mkdir(exist_ok=True)
    page.goto("/locations")
    for location in LOCATIONS:
        # One (virtualised) row per location; its status reads "Loaded" once the definitions imported.
        row = page.locator("div[data-index]").filter(has=page.locator(f'a[href="/locations/{location}/"]'))
        expect(row).to_contain_text("Loaded", timeout=LOAD_MS)

    # A tall viewport renders every row of the virtualised catalog, so none is off-screen and missing.
    page.set_viewport_size({"width": 1600, "height": 1800})
    page.goto("/assets")
    for location, assets in LOCATIONS.items():
        for asset in assets:
            link = page.locator(f'a[href="/assets/{asset}"]')
            expect(link).to_be_visible(timeout=UI_MS)
            # The innermost element holding both the asset and a location link is the asset's row.
            row = page.locator("div").filter(has=link).filter(has=page.locator('a[href^="/locations/"]')).last
            expect(row.locator(f'a[href="/locations/{location}/"]')).to_be_visible()
    # Statuses arrive after the rows: wait for them so the screenshot shows no "Loading…" or "- partitions".
    page.wait_for_function(
        "() => !/Loading|\\s[-–—] partitions/.test(document.body.innerText)", timeout=UI_MS
    )
    page.screenshot(path=DOCS / "ui-asset-catalog.png")

    # The global lineage graph, every group expanded (the setting persists, so reload to fit it to the view).
    page.set_viewport_size({"width": 1600, "height": 1300})  # tall enough to fit the expanded graph
    page.goto("/asset-groups")
    page.get_by_role("button", name="settings", exact=True).click()
    page.get_by_role("menuitem", name=re.compile("Expand all groups")).click()
    page.reload()
    for name in ("intent_model", "fedproc_model", "sam_opportunities"):
        expect(page.get_by_text(name, exact=True)).to_be_in_viewport(timeout=UI_MS)
    page.screenshot(path=DOCS / "ui-asset-graph.png")


def test_materialize_from_the_ui(page: Any, dagster_ui: DagsterUI) -> None:
    from playwright.sync_api import expect

    DOCS.mkdir(exist_ok=True)
    page.goto(f"/assets/{ASSET}")
    expect(page.get_by_text("Never materialized").first).to_be_visible(timeout=LOAD_MS)
    page.get_by_role("button", name=re.compile(r"\bMaterialize$")).click()

    # The launch toast links to the new run.
    run_link = page.locator('a[href^="/runs/"]').filter(has_text="View")
    expect(run_link).to_be_visible(timeout=UI_MS)
    run_path = run_link.get_attribute("href")
    assert run_path, "the launch toast has no link to the run"
    run_id = run_path.split("/runs/", 1)[1].split("?", 1)[0]

    page.goto(run_path)
    status = page.get_by_text(re.compile(r"^(Success|Failure|Canceled)$")).first
    expect(status).to_be_visible(timeout=RUN_MS)
    assert status.inner_text() == "Success", (
        f"run {run_id} ended {status.inner_text()}:\n{_log_tail(dagster_ui.log)}"
    )

    # The asset page now shows this run's materialisation as the latest one.
    page.goto(f"/assets/{ASSET}")
    expect(page.locator(f'a[href^="/runs/{run_id}"]').first).to_be_visible(timeout=UI_MS)
    expect(page.get_by_text(str(ASSET_FILE)).first).to_be_visible(timeout=UI_MS)  # the `path` metadata
    page.screenshot(path=DOCS / "ui-materialized.png")

    written = dagster_ui.artifacts / ASSET_FILE
    assert written.is_file(), f"{written} was not written:\n{_log_tail(dagster_ui.log)}"
