"""Bounded behaviours that make a script-driven list show its way on, as Browsertrix's
autoclick and autoscroll do.

On a rendered list page: scroll until the page stops growing; then, one control at a time,
click every report-like item whose target only a script knows (the tap stops the navigation it
starts and records the URL), every year tab and selector option, and every "加载更多"/"下一页"
control again and again while it still changes the page (a pager that navigates is followed in
the browser). After each step the DOM is kept if it is new, so a list whose pages replace each
other is read page by page. Every bound hit (clicks, seconds, snapshots) is reported.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
import time
from dataclasses import dataclass, field
from typing import Any

from crawler.browser.tap import PageTap

SCAN = r"""
([limit, spent]) => {
  const MORE = /^(?:点击|查看)?(?:加载|显示|查看)更多|^更多$|^(?:下一页|下页|后页|下一頁|next|next\s*page|›|»|>>?)$/i;
  const YEAR = /^(?:19|20)\d\d\s*(?:年|年度)?$/;
  const REPORT = /年报|年度报告|工作报告/;
  const visible = (el) => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none";
  };
  const scripted = (a) => {
    const h = (a.getAttribute("href") || "").trim();
    return !h || h.startsWith("#") || /^javascript:/i.test(h);
  };
  const readable = "a[href]:not([href^='javascript']):not([href^='#']):not([href=''])";
  let next = +(document.documentElement.dataset.nianbaoNext || 0);
  const id = (el) => {
    if (!el.dataset.nianbaoId) { el.dataset.nianbaoId = String(next++); }
    return el.dataset.nianbaoId;
  };
  const out = [], texts = new Map();
  const els = document.querySelectorAll("a,button,input[type=button],input[type=submit],[onclick],li,span,div,td,p,select");
  for (const el of els) {
    if (out.length >= limit) break;
    if (el.dataset.nianbaoExhausted || !visible(el)) continue;
    if (el.tagName === "SELECT") {
      // a form's field is not navigation: changing it would only filter what its form submits
      if (el.form && !el.hasAttribute("onchange")) continue;
      const i = +(el.dataset.nianbaoOption || 0);
      if (i < el.options.length && !el.disabled) out.push({id: id(el), kind: "select", text: (el.options[i].text || "").trim(), index: i});
      continue;
    }
    const text = ((el.innerText || el.value || "") + "").replace(/\s+/g, "");
    if (!text || text.length > 80) continue;
    const tag = el.tagName;
    const clickable = el.hasAttribute("onclick") || tag === "BUTTON" || tag === "INPUT" ||
      (tag === "A" && scripted(el)) || (!["A"].includes(tag) && getComputedStyle(el).cursor === "pointer");
    if (!clickable || el.disabled || el.getAttribute("aria-disabled") === "true") continue;
    let kind = null;
    if (text.length <= 12 && MORE.test(text)) { if (spent.includes(text)) continue; kind = "more"; }
    else if (el.dataset.nianbaoDone) continue;
    else if (YEAR.test(text)) kind = "tab";
    else if (REPORT.test(text) && !el.querySelector(readable) && !el.closest(readable)) kind = "item";
    if (!kind) continue;
    const key = kind + text;
    if (texts.has(key)) {  // the same control nested: click the innermost (handlers sit low)
      const j = texts.get(key), prev = document.querySelector('[data-nianbao-id="' + out[j].id + '"]');
      if (prev && prev !== el && prev.contains(el)) out[j] = {id: id(el), kind: kind, text: text};
      continue;
    }
    texts.set(key, out.length);
    out.push({id: id(el), kind: kind, text: text});
  }
  document.documentElement.dataset.nianbaoNext = String(next);
  return out;
}
"""

CLICK = r"""
(c) => {
  const el = document.querySelector('[data-nianbao-id="' + c.id + '"]');
  if (!el) return false;
  if (c.kind === "select") {
    el.dataset.nianbaoOption = String(c.index + 1);
    el.selectedIndex = c.index;
    el.dispatchEvent(new Event("input", {bubbles: true}));
    el.dispatchEvent(new Event("change", {bubbles: true}));
    return true;
  }
  el.dataset.nianbaoDone = String(+(el.dataset.nianbaoDone || 0) + 1);
  if (el.scrollIntoView) el.scrollIntoView({block: "center"});
  el.click();
  return true;
}
"""

EXHAUST = "(id) => { const el = document.querySelector('[data-nianbao-id=\"' + id + '\"]'); if (el) el.dataset.nianbaoExhausted = '1'; }"
SIGNATURE = "() => [document.getElementsByTagName('*').length, (document.body ? document.body.innerText.length : 0), location.href]"
SCROLL = "() => { window.scrollTo(0, document.body ? document.body.scrollHeight : 0); return document.body ? document.body.scrollHeight : 0; }"

_MARKS = re.compile(r' data-nianbao-[a-z]+="[^"]*"')
"""The behaviours' own marks on elements, left out when comparing page states."""
_ORDER = {"item": 0, "select": 1, "tab": 1, "more": 2}
MAX_SNAPSHOTS = 60
MAX_SCROLLS = 6


@dataclass(frozen=True)
class Bounds:
    clicks: int
    seconds: float


@dataclass
class Explored:
    """What the behaviours did and saw on one page."""

    snapshots: list[str] = field(default_factory=list)
    """Every distinct DOM the page showed (the first after load, the last at the end)."""
    clicks: int = 0
    scrolls: int = 0
    seconds: float = 0.0
    bounds: list[str] = field(default_factory=list)
    """Each bound hit, in words."""
    controls: dict[str, int] = field(default_factory=dict)
    """Clicks by kind of control (item, tab, select, more)."""

    def as_meta(self) -> dict[str, Any]:
        return {"clicks": self.clicks, "scrolls": self.scrolls, "seconds": round(self.seconds, 2),
                "bounds": list(self.bounds), "controls": dict(self.controls), "snapshots": len(self.snapshots)}


async def explore(page: Any, tap: PageTap, bounds: Bounds) -> Explored:
    """Run the behaviours on a loaded page (see the module docstring); never raises for what the
    page does — a page that breaks mid-way ends the exploring with what was seen."""
    out = Explored()
    started = time.monotonic()
    seen: set[str] = set()
    spent: set[str] = set()
    """Texts of pager controls that led back to a state already seen (a 下一页 on the last page
    that reloads it): remembered across navigations, which reset the page's own marks."""
    tap.armed = True
    await _snapshot(page, out, seen)
    try:
        await _scroll(page, tap, out, started, bounds)
        while True:
            if out.clicks >= bounds.clicks:
                if await _candidates(page, spent):
                    out.bounds.append(f"{bounds.clicks} clicks on one page")
                break
            if time.monotonic() - started >= bounds.seconds:
                out.bounds.append(f"{bounds.seconds:g} s of behaviours on one page")
                break
            found = await _candidates(page, spent)
            if not found:
                break
            control = min(found, key=lambda c: _ORDER.get(c["kind"], 3))
            before = await _signature(page)
            tap.label = control.get("text") or None
            tap.following = control["kind"] == "more"
            navs = tap.navigations
            try:
                clicked = await page.evaluate(CLICK, control)
            except Exception:  # the page navigated away under us
                clicked = True
            out.clicks += 1
            out.controls[control["kind"]] = out.controls.get(control["kind"], 0) + 1
            await _quiet(page, tap, navigated=lambda n=navs: tap.navigations > n)
            await tap.opened()
            tap.following = False
            if not clicked:
                continue
            changed = await _signature(page) != before
            if control["kind"] == "more" and not changed:
                with contextlib.suppress(Exception):
                    await page.evaluate(EXHAUST, control["id"])
            if changed:
                if len(out.snapshots) >= MAX_SNAPSHOTS:
                    out.bounds.append(f"{MAX_SNAPSHOTS} page states kept")
                    break
                if not await _snapshot(page, out, seen) and control["kind"] == "more":
                    spent.add(control.get("text") or "")
                await _scroll(page, tap, out, started, bounds)
            elif control["kind"] == "more" and tap.navigations > navs:
                spent.add(control.get("text") or "")
    finally:
        tap.armed = False
        out.seconds = time.monotonic() - started
    return out


async def _candidates(page: Any, spent: set[str]) -> list[dict[str, Any]]:
    for _ in range(3):
        try:
            return list(await page.evaluate(SCAN, [200, sorted(spent)]) or [])
        except Exception:  # mid-navigation: look again once it has loaded
            await _loaded(page)
    return []


async def _signature(page: Any) -> Any:
    try:
        return await page.evaluate(SIGNATURE)
    except Exception:
        return None


async def _snapshot(page: Any, out: Explored, seen: set[str]) -> bool:
    """Keep the page's DOM if it is a state not seen before; say whether it was new."""
    try:
        html = await page.content()
    except Exception:
        return False
    digest = hashlib.sha1(_MARKS.sub("", html).encode("utf-8", "replace")).hexdigest()
    if digest in seen:
        return False
    seen.add(digest)
    out.snapshots.append(html)
    return True


async def _scroll(page: Any, tap: PageTap, out: Explored, started: float, bounds: Bounds) -> None:
    """Scroll to the bottom until the page stops growing (lists that load as they are scrolled)."""
    height = -1
    for _ in range(MAX_SCROLLS):
        if time.monotonic() - started >= bounds.seconds:
            return
        try:
            now = await page.evaluate(SCROLL)
        except Exception:
            return
        if now == height:
            return
        height = now
        out.scrolls += 1
        await _quiet(page, tap)
    out.bounds.append(f"{MAX_SCROLLS} scrolls and the page still grew")


async def _quiet(page: Any, tap: PageTap, navigated: Any = None, limit: float = 3.0) -> None:
    """Wait until the page has had no request in flight for a moment (at most ``limit`` s), and
    for a followed navigation to load."""
    await asyncio.sleep(0.15)
    deadline = time.monotonic() + limit
    calm = 0
    while time.monotonic() < deadline and calm < 3:
        calm = calm + 1 if tap.inflight == 0 else 0
        await asyncio.sleep(0.1)
    if navigated is not None and navigated():
        await _loaded(page)


async def _loaded(page: Any) -> None:
    with contextlib.suppress(Exception):
        await page.wait_for_load_state("load", timeout=5000)
