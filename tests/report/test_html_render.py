"""The HTML report as a person sees it: rendered by headless Chromium, read back from DOM and pixels.

Skips only when Chromium is absent and the CI variable is unset; in CI a missing browser fails.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from pathlib import Path

import pytest

from topictrack import _resources, pipeline
from topictrack.report import shorten, to_html
from topictrack.trends import theme_trends as trends

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--window-size=1366,900"]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and Path("/usr/bin/chromium").exists():
        found = "/usr/bin/chromium"
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs Debian's chromium package")
        pytest.skip("chromium is not installed (set CI=1 to make this a failure)")
    return found


def run_chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=180, check=False)


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of RGB(A) bytes of an 8-bit, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and interlace == 0 and colour in (2, 6), header
    step = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * step
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up = previous[i]
            corner = previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, [bytes(r[i:i + 3]) for r in rows for i in range(0, stride, step)]


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("html")
    table = trends(pipeline.score(_resources.sample_calls(), cache=False, jobs=1))
    target = folder / "report.html"
    target.write_text(to_html(table), encoding="utf-8")
    return folder, target, table


def test_rendered_page_shows_themes_periods_trends_and_quotes(page):
    folder, target, table = page
    result = run_chromium(["--dump-dom", target.as_uri()], folder / "profile-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    dom = html.unescape(result.stdout).replace("<wbr>", "")  # word-break hints are invisible
    assert "<h1>Theme trends</h1>" in dom
    assert dom.count('class="series"') == 2  # transcripts and summaries apart
    for theme in table.theme.unique():
        assert re.search(f'<th scope="row">(<span class="nowrap">)?{theme}(</span>)?</th>', dom), theme
    for period in ("2024Q4", "2025Q1", "2025Q2"):
        assert f"<th>{period}</th>" in dom, period
    assert ">new</span>" in dom and ">gone</span>" in dom
    quoted = table[table.quote.notna()]
    assert len(quoted) > 10
    for row in quoted.itertuples():
        assert shorten(row.quote, 320) in dom, row.quote
    assert 'aria-label="Tone by period"' in dom and "<polyline" in dom


def test_screenshot_is_a_laid_out_page(page):
    folder, target, _ = page
    shot = folder / "report.png"
    result = run_chromium([f"--screenshot={shot}", target.as_uri()], folder / "profile-shot")
    assert result.returncode == 0, result.stderr[-2000:]
    width, height, pixels = png_pixels(shot.read_bytes())
    assert (width, height) == (1366, 900)
    counts = Counter(pixels)
    assert len(counts) > 50  # text, heatmap shades, chart lines: far from a blank page
    background, n_background = counts.most_common(1)[0]
    assert len(pixels) - n_background > 0.05 * len(pixels)
    header = pixels[10 * width + 10]
    assert max(header) < 60  # the dark title band is drawn, so the inline CSS applied


EIGHT = [f"{year}Q{q}" for year in (2024, 2025) for q in (1, 2, 3, 4)]
LONG_QUOTE = ("Export restrictions on our accelerators tightened again this quarter, and we expect "
              "supply of the compliant parts to stay constrained well into the second half of next year.")


def eight_periods():
    from scored_tables import scored_table

    calls = [{"company": "Acme Semiconductor Manufacturing International", "period": period, "turns": [
        ("Ann Lee", "management", "prepared", 40, 800, True,
         {"ai_demand": (4 + i, 0.3, 0.95, LONG_QUOTE),
          "a_very_long_user_theme_name_about_share_buybacks": (0 if i == 3 else 2, 0.2, 0.9, LONG_QUOTE)})]}
        for i, period in enumerate(EIGHT)]
    return trends(scored_table(calls, themes=("ai_demand", "a_very_long_user_theme_name_about_share_buybacks")))


MEASURE = ('<script>addEventListener("load", () => { const d = document.documentElement;'
           ' const boxes = [...document.querySelectorAll(".scroll")].map(b => b.scrollWidth - b.clientWidth);'
           ' document.body.setAttribute("data-measure", [d.scrollWidth, d.clientWidth,'
           ' Math.max(...boxes), boxes.length].join(" ")); });</script>')


def test_eight_periods_fit_a_1366_pixel_window_without_scrolling_the_page(tmp_path):
    table = eight_periods()
    page = to_html(table).replace("</body>", MEASURE + "</body>")
    target = tmp_path / "eight.html"
    target.write_text(page, encoding="utf-8")
    result = run_chromium(["--dump-dom", target.as_uri()], tmp_path / "profile")
    assert result.returncode == 0, result.stderr[-2000:]
    measured = re.search(r'data-measure="(\d+) (\d+) (\d+) (\d+)"', result.stdout)
    assert measured, result.stdout[-500:]
    page_width, window_width, overflow, boxes = map(int, measured.groups())
    assert window_width > 1300 and page_width <= window_width  # no horizontal scrollbar on the page
    assert boxes == 3 and overflow <= 0, overflow  # heatmap, chart, evidence: the latest period in view
    for period in EIGHT:
        assert f"<th>{period}</th>" in result.stdout
