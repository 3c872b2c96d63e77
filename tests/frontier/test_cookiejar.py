"""The crawl's cookie jar survives in the run row, cookie for cookie."""

from __future__ import annotations

import json
from http.cookiejar import Cookie

from crawler.middlewares.cookiejar import cookie_from_dict, cookie_to_dict


def test_cookies_round_trip_through_json() -> None:
    cookies = [
        Cookie(0, "FSSBBIl1UgzbN7NT", "5bc.x", None, False, "127.0.0.1", True, False, "/", True, False,
               2_000_000_000, False, None, None, {"HttpOnly": None}),
        Cookie(0, "__jsl_clearance", "17:0|abc", None, False, ".anping.gov.cn", True, True, "/zwgk", True, True,
               None, True, "c", "u", {}),
    ]
    for c in cookies:
        back = cookie_from_dict(json.loads(json.dumps(cookie_to_dict(c))))
        assert vars(back) == vars(c)
