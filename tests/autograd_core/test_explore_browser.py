"""`explore` in a real browser: headless Chromium (Debian's chromium and chromium-driver,
driven by Selenium) opens a saved page and a test clicks, hovers, types and presses keys
as a person would. A screenshot is saved under tests/artifacts/."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import nn
import nn.functional as F
from autograd_core import Tensor, explore

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
pytestmark = pytest.mark.slow


def _binary(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError(f"none of {names} is installed; scripts/setup.sh installs them")


@pytest.fixture(scope="module")
def browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = _binary("chromium", "chromium-browser")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(_binary("chromedriver")), options=opts)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def page(tmp_path_factory, browser):
    rng = np.random.default_rng(0)
    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    x = Tensor(rng.normal(size=(5, 4)), name="x")
    loss = F.mse_loss(model(x), np.zeros((5, 2)))  # a composite layer: folded at first
    loss.name = "loss"
    path = explore(loss).save(tmp_path_factory.mktemp("explore") / "graph.html")
    browser.get(path.as_uri())
    return browser


def _visible_nodes(driver) -> int:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('g.node'))"
        ".filter(g => g.style.display !== 'none').length"
    )


def test_the_svg_shows_without_console_errors(page):
    assert len(page.find_elements(By.CSS_SELECTOR, ".ax-graph svg g.node")) > 10
    errors = [e for e in page.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    assert page.save_screenshot(str(ARTIFACTS / "explore.png"))


def test_clicking_a_cluster_folds_it_and_clicking_again_unfolds_it(page):
    before = _visible_nodes(page)
    cluster = page.find_elements(By.CSS_SELECTOR, "g.cluster:not(.composite)")[0]
    label = cluster.find_element(By.CSS_SELECTOR, "text")
    label.click()
    folded = _visible_nodes(page)
    assert folded < before and "folded" in label.text
    label.click()
    assert _visible_nodes(page) == before and "folded" not in label.text


def test_arrow_keys_move_the_backward_step_and_the_highlighted_edge(page):
    body = page.find_element(By.CSS_SELECTOR, ".autograd-explore")
    page.execute_script("arguments[0].focus();", body)  # a click could land on a cluster
    step = lambda: page.execute_script(  # noqa: E731
        "const p = document.querySelector('.autograd-explore');"
        "const lit = document.querySelectorAll('g.edge.ax-current').length;"
        "return [p.dataset.step, p.dataset.edges, lit]"
    )
    start = step()
    assert start[0] == "0"
    body.send_keys(Keys.ARROW_RIGHT)
    one = step()
    body.send_keys(Keys.ARROW_RIGHT)
    two = step()
    assert (one[0], two[0]) == ("1", "2") and one[1] != two[1] and two[2] >= 1
    body.send_keys(Keys.ARROW_LEFT)
    assert step() == one
    assert "step 1 of" in page.find_element(By.CSS_SELECTOR, ".ax-step-text").text
    assert "grad_table[" in page.find_element(By.CSS_SELECTOR, ".ax-table").text


def test_hovering_a_tensor_shows_its_value(page):
    node_id = page.execute_script(
        "const d = JSON.parse(document.querySelector('.ax-data').textContent);"
        "return Object.keys(d.tensors).find(k => d.tensors[k].name.endsWith('weight'));"
    )
    node = next(
        g
        for g in page.find_elements(By.CSS_SELECTOR, "g.node")
        if g.find_element(By.CSS_SELECTOR, "title").get_attribute("textContent") == node_id
    )
    label = node.find_element(By.CSS_SELECTOR, "text")
    page.execute_script("arguments[0].scrollIntoView({block: 'center'});", label)
    ActionChains(page).move_to_element(label).perform()
    tip = page.find_element(By.CSS_SELECTOR, ".ax-tip")
    assert tip.is_displayed()
    assert "weight" in tip.text and "value: [[" in tip.text and "grad:" in tip.text


def test_the_search_finds_a_tensor_by_name(page):
    box = page.find_element(By.CSS_SELECTOR, ".ax-search")
    box.send_keys("bias")
    assert page.find_element(By.CSS_SELECTOR, ".ax-found").text == "2 found"
    assert len(page.find_elements(By.CSS_SELECTOR, "g.ax-found-node")) == 2
    box.clear()
    box.send_keys("no such tensor")
    assert page.find_element(By.CSS_SELECTOR, ".ax-found").text == "0 found"


def test_a_composite_layer_starts_folded_and_a_click_unfolds_it(page):
    box = page.find_element(By.CSS_SELECTOR, "g.cluster.composite")
    label = box.find_element(By.CSS_SELECTOR, "text")
    assert "mse_loss(" in label.text and "folded" in label.text
    before = _visible_nodes(page)
    label.click()
    assert _visible_nodes(page) > before and "folded" not in label.text
    label.click()
    assert _visible_nodes(page) == before
