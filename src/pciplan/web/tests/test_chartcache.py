"""Charts are drawn once per distinct content and kept in the cache (pciplan.web.chartcache)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from pciplan.charts import status_chart
from pciplan.web import chartcache


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _chart(done: int):
    # Synthetic counts (not published figures).
    return status_chart({"Hoàn thành": done, "Đang thực hiện": 3}, title="Kết quả thực hiện nhiệm vụ",
                        period="Quý III/2020", unit="nhiệm vụ")


def test_same_content_is_drawn_once(monkeypatch):
    calls = []
    real = type(_chart(1)).svg

    def counting(self):
        calls.append(self.title)
        return real(self)

    monkeypatch.setattr(type(_chart(1)), "svg", counting)
    first = chartcache.svg(_chart(5), kind="board")
    second = chartcache.svg(_chart(5), kind="board")
    assert first == second and first.startswith("<svg")
    assert len(calls) == 1


def test_changed_figures_draw_a_new_chart():
    five, six = chartcache.svg(_chart(5), kind="board"), chartcache.svg(_chart(6), kind="board")
    assert five != six
    assert "Hoàn thành 6" in chartcache.Drawn.of(_chart(6), kind="board").alt


def test_png_is_cached_per_resolution(monkeypatch):
    low, high = chartcache.png(_chart(5), 72), chartcache.png(_chart(5), 150)
    assert low[:8] == b"\x89PNG\r\n\x1a\n" and high[:8] == low[:8]
    assert len(high) > len(low)


def test_no_chart_gives_nothing():
    assert chartcache.Drawn.of(None) is None
