"""A 瑞数 (River Security)-style gate: HTTP 412, a ``$_ts`` page, a cookie computed by script.

Shape from real pages (gov-sites.md §4): the first answer is 412 with ``Set-Cookie: <X>S=6…``,
a ``<meta … r='m'>`` carrying a seed, an inline ``$_ts.nsd``/``$_ts.cd`` script, an external
script and a trigger call whose name changes per session. The script computes ``<X>T`` from
the seed, ``$_ts.cd`` and ``navigator.userAgent`` and reloads; the server admits a request only
when ``T`` matches its ``S`` and User-Agent byte for byte and ``S`` is younger than the TTL.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from email.utils import formatdate

from .common import Verdict, fnv, letters, mac, obfuscate_string, parse_cookies

_FNV_OFFSET = 2166136261


@dataclass(frozen=True)
class RuishuGate:
    """The gate of one portal; ``prefix`` names the cookies ``<prefix>S`` and ``<prefix>T``."""

    secret: str
    prefix: str
    script_path: str
    ttl: float = 600.0
    nsd: int = 52206

    # -- tokens ------------------------------------------------------------------------------
    def issue_s(self, now: float) -> str:
        ts = f"{int(now):x}"
        return f"60{ts}{mac(self.secret, 'S', ts)[:30]}"

    def s_age(self, s: str, now: float) -> float | None:
        """Seconds since ``s`` was issued, or None when it was not issued by this gate."""
        if not s.startswith("60") or len(s) < 33:
            return None
        ts = s[2:-30]
        try:
            issued = int(ts, 16)
        except ValueError:
            return None
        if mac(self.secret, "S", ts)[:30] != s[-30:]:
            return None
        return now - issued

    def cd(self, s: str) -> str:
        return letters(mac(self.secret, "cd", s)[:48])

    def seed(self, s: str) -> str:
        return mac(self.secret, "meta", s)[:32]

    def expected_t(self, s: str, user_agent: str) -> str:
        text = f"{self.cd(s)}|{self.seed(s)}|{user_agent}"
        return "0" + "".join(fnv(text, _FNV_OFFSET + k * self.nsd) for k in range(4))

    # -- decision ----------------------------------------------------------------------------
    def check(self, cookie_header: str, user_agent: str, now: float | None = None) -> Verdict:
        now = time.time() if now is None else now
        cookies = parse_cookies(cookie_header)
        s = cookies.get(self.prefix + "S", "")
        age = self.s_age(s, now) if s else None
        fresh = age is not None and age < self.ttl
        if fresh and cookies.get(self.prefix + "T") == self.expected_t(s, user_agent):
            return Verdict(passed=True)
        set_cookies: tuple[str, ...] = ()
        if not fresh:
            s = self.issue_s(now)
            expires = formatdate(now + 10 * 365 * 86400, usegmt=True)
            set_cookies = (f"{self.prefix}S={s}; Path=/; expires={expires}",)
        return Verdict(False, 412, self.page(s).encode(), set_cookies, "412")

    # -- content -----------------------------------------------------------------------------
    def page(self, s: str) -> str:
        cd = self.cd(s)
        meta_id = mac(self.secret, "id", s)[:22]
        return (
            "<!DOCTYPE html>\n<html><head>\n"
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
            '<meta http-equiv="Cache-Control" content="no-cache, no-store, must-revalidate">\n'
            f'<meta id="{meta_id}" content="{self.seed(s)}" r=\'m\'>\n'
            "<!--[if lt IE 9]><script r='m'>document.createElement(\"section\")</script><![endif]-->\n"
            f"<script type=\"text/javascript\" r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={{}};"
            f'$_ts.nsd={self.nsd};$_ts.cd="{cd}";</script>\n'
            f'<script type="text/javascript" charset="utf-8" src="{self.script_path}" r=\'m\'></script>\n'
            "</head></html>\n"
            f"<script type=\"text/javascript\" r='m'>_${cd[:2]}();</script>\n"
        )

    def script(self) -> str:
        """The external script: defines the trigger, computes ``<prefix>T`` and reloads."""
        cookie = obfuscate_string(self.prefix + "T=0")
        return (
            "(function(){var _$w=window,_$d=document,_$t=_$w['$_ts'];"
            "function _$h(s,o){var x=o>>>0;for(var i=0;i<s.length;i++){x^=s.charCodeAt(i);"
            "x=Math.imul(x,16777619)>>>0;}return('0000000'+x.toString(16)).slice(-8);}"
            "function _$m(){var a=_$d.getElementsByTagName('meta');for(var i=0;i<a.length;i++)"
            "{if(a[i].getAttribute('r')==='m')return a[i].getAttribute('content');}return '';}"
            "_$w['_$'+_$t.cd.slice(0,2)]=function(){var s=_$t.cd+'|'+_$m()+'|'+navigator.userAgent,v='';"
            f"for(var k=0;k<4;k++){{v+=_$h(s,({_FNV_OFFSET}+k*_$t.nsd)>>>0);}}"
            f"_$d.cookie={cookie}+v+'; path=/';_$w.location.replace(_$w.location.href);}};}})();\n"
        )
