"""A 加速乐 (知道创宇 jsl)-style gate: two HTTP 521 steps, each setting a cookie by script.

Shape from real sites (gov-sites.md §4): step 1 answers 521, sets ``__jsluid_h`` and runs an
obfuscated ``document.cookie=…;location.href=…``; step 2 answers 521 with
``go({"bts":[…],"chars":"…","ct":"…","ha":"sha1","tn":"__jsl_clearance_s","vt":…,"wt":…})``,
whose script finds two characters by SHA-1 brute force, sets ``__jsl_clearance_s`` and reloads
after ``wt`` ms. The server admits the final value while it is younger than ``vt`` seconds.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass

from .common import Verdict, mac, obfuscate_string, parse_cookies

_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
UID = "__jsluid_h"
CLEARANCE = "__jsl_clearance_s"

# A compact SHA-1 over an ASCII string, in the spirit of the hash helpers jsl pages inline.
_SHA1_JS = (
    "function _$sha1(s){function r(n,c){return(n<<c)|(n>>>(32-c));}"
    "var b=[],i,j,l=s.length*8;for(i=0;i<s.length;i++)b[i>>2]|=(s.charCodeAt(i)&255)<<(24-(i%4)*8);"
    "b[l>>5]|=0x80<<(24-l%32);b[((l+64>>9)<<4)+15]=l;"
    "var h0=0x67452301,h1=0xEFCDAB89,h2=0x98BADCFE,h3=0x10325476,h4=0xC3D2E1F0,w=[];"
    "for(i=0;i<b.length;i+=16){var a=h0,bb=h1,c=h2,d=h3,e=h4;"
    "for(j=0;j<80;j++){w[j]=j<16?(b[i+j]|0):r(w[j-3]^w[j-8]^w[j-14]^w[j-16],1);"
    "var f=j<20?(bb&c)|(~bb&d):j<40?bb^c^d:j<60?(bb&c)|(bb&d)|(c&d):bb^c^d;"
    "var k=j<20?0x5A827999:j<40?0x6ED9EBA1:j<60?0x8F1BBCDC:0xCA62C1D6;"
    "var t=(r(a,5)+f+e+k+w[j])|0;e=d;d=c;c=r(bb,30);bb=a;a=t;}"
    "h0=(h0+a)|0;h1=(h1+bb)|0;h2=(h2+c)|0;h3=(h3+d)|0;h4=(h4+e)|0;}"
    "var o='',hs=[h0,h1,h2,h3,h4];for(i=0;i<5;i++)o+=('0000000'+(hs[i]>>>0).toString(16)).slice(-8);return o;}"
)

_GO_JS = (
    "function go(o){var c=o.chars,n=c.length;for(var i=0;i<n;i++){for(var j=0;j<n;j++){"
    "var v=o.bts[0]+c[i]+c[j]+o.bts[1];if(_$sha1(v)===o.ct){"
    "document.cookie=o.tn+'='+v+';max-age='+o.vt+';path=/';"
    "setTimeout(function(){location.href=location.pathname+location.search;},o.wt);return;}}}}"
)


@dataclass(frozen=True)
class JiasuleGate:
    """The gate of one portal."""

    secret: str
    ttl: float = 3600.0
    wait_ms: int = 300

    def issue_uid(self, now: float) -> str:
        nonce = hashlib.md5(f"{now!r}".encode()).hexdigest()[:16]
        return nonce + mac(self.secret, "uid", nonce)[:16]

    def uid_ok(self, uid: str) -> bool:
        return len(uid) == 32 and mac(self.secret, "uid", uid[:16])[:16] == uid[16:]

    def step1_value(self, uid: str) -> str:
        m = mac(self.secret, "step1", uid)
        return f"{int(m[:8], 16) % 10**10}.{int(m[8:11], 16) % 1000:03d}|-1|{m[12:40]}"

    def _final_parts(self, uid: str, ts: int) -> tuple[str, str, str, str]:
        m = mac(self.secret, "final", uid, ts)
        head = f"{ts}.{int(m[:3], 16) % 1000:03d}|0|"
        tail = m[4:30]
        pick = _CHARS[int(m[30:32], 16) % 62] + _CHARS[int(m[32:34], 16) % 62]
        chars = "".join(sorted(set(_CHARS[int(m[k : k + 2], 16) % 62] for k in range(34, 64, 2)) | set(pick)))
        return head, tail, pick, chars

    def final_value(self, uid: str, ts: int) -> str:
        head, tail, pick, _ = self._final_parts(uid, ts)
        return head + pick + tail

    def check(self, cookie_header: str, user_agent: str = "", now: float | None = None) -> Verdict:
        now = time.time() if now is None else now
        cookies = parse_cookies(cookie_header)
        uid = cookies.get(UID, "")
        if not self.uid_ok(uid):
            uid = self.issue_uid(now)
            cookie = f"{UID}={uid}; max-age=31536000; path=/; HttpOnly"
            return Verdict(False, 521, self.step1_page(uid).encode(), (cookie,), "521-1")
        value = cookies.get(CLEARANCE, "")
        ts_text = value.split(".", 1)[0]
        if "|0|" in value and ts_text.isdigit():
            ts = int(ts_text)
            if value == self.final_value(uid, ts) and now - ts < self.ttl:
                return Verdict(passed=True)
        if value == self.step1_value(uid):
            return Verdict(False, 521, self.step2_page(uid, int(now)).encode(), (), "521-2")
        return Verdict(False, 521, self.step1_page(uid).encode(), (), "521-1")

    def step1_page(self, uid: str) -> str:
        expr = obfuscate_string(f"{CLEARANCE}={self.step1_value(uid)};max-age={int(self.ttl)};path=/")
        return f"<script>document.cookie={expr};location.href=location.pathname+location.search</script>"

    def step2_page(self, uid: str, ts: int) -> str:
        head, tail, pick, chars = self._final_parts(uid, ts)
        ct = hashlib.sha1((head + pick + tail).encode()).hexdigest()
        args = {
            "bts": [head, tail],
            "chars": chars,
            "ct": ct,
            "ha": "sha1",
            "tn": CLEARANCE,
            "vt": str(int(self.ttl)),
            "wt": str(self.wait_ms),
        }
        return (
            '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><script>'
            f"{_SHA1_JS}{_GO_JS};go({json.dumps(args, separators=(',', ':'))})</script></body></html>"
        )
