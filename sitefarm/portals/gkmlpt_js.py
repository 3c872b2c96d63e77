"""Scripts and shells of the gkmlpt single-page app: without JavaScript the pages are empty."""

from __future__ import annotations

import json
from typing import Any

APP_JS = r"""
(function(){
  var C = window._CONFIG || {};
  var box = document.getElementById("app");
  function esc(s){ return String(s).replace(/[&<>"]/g, function(c){ return {"&":"&amp;","<":"&lt;",">":"&gt;","\"":"&quot;"}[c]; }); }
  function route(){
    var h = (location.hash || "").replace(/^#/, "").split("/");
    return { col: h[0] || String(C.DEFAULT_COL), page: +(h[1] || 1) };
  }
  function load(){
    var r = route();
    box.innerHTML = '<div class="loading">加载中...</div>';
    var xhr = new XMLHttpRequest();
    xhr.open("GET", "/gkmlpt/api/all/" + r.col + "?page=" + r.page + "&sid=" + C.SID, true);
    xhr.onload = function(){
      var d = JSON.parse(xhr.responseText), rows = [];
      for(var i = 0; i < d.articles.length; i++){
        var a = d.articles[i];
        rows.push('<tr><td class="identifier">' + esc(a.identifier) + '</td><td class="title"><a href="' + esc(a.url) +
                  '" target="_blank" title="' + esc(a.title) + '">' + esc(a.title) + '</a></td><td>' +
                  esc(a.display_publish_time) + '</td></tr>');
      }
      var pages = Math.max(1, Math.ceil(d.total / 100)), bar = [];
      for(var p = 1; p <= pages; p++){ bar.push(p === r.page ? "<b>" + p + "</b>" : '<a href="#' + r.col + "/" + p + '">' + p + "</a>"); }
      var tree = (C.TREE || []).map(function(t){ return '<li><a href="#' + t.id + '">' + esc(t.name) + "</a></li>"; }).join("");
      box.innerHTML = '<ul class="tree">' + tree + '</ul><table class="list">' + rows.join("") +
                      '</table><div class="pager">共' + d.total + "条 " + bar.join(" ") + "</div>";
    };
    xhr.send();
  }
  window.addEventListener("hashchange", load);
  load();
})();
"""

DETAIL_JS = r"""
(function(){
  var d = (window._CONFIG || {}).DETAIL;
  if(!d){ return; }
  document.title = d.title + " - " + (window._CONFIG.SITE_NAME || "");
  var files = (d.attachments || []).map(function(a){ return '<li><a href="' + a.url + '">' + a.name + "</a></li>"; }).join("");
  document.getElementById("content").innerHTML =
    '<h1 class="title">' + d.title + '</h1><div class="info">发布日期：' + d.date + " 来源：" + d.publisher + "</div>" +
    '<div class="article-content">' + d.content + "</div>" + (files ? '<ul class="attachments">附件：' + files + "</ul>" : "");
})();
"""


def script_json(value: Any) -> str:
    """JSON for an inline script: ASCII only and no ``<``, so the raw HTML shows no text or tags."""
    return (
        json.dumps(value, ensure_ascii=True)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def shell(title: str, meta: str, config: dict[str, Any], script: str, box: str = "app") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n{meta}"
        '<link rel="stylesheet" href="/gkmlpt/static/css/app.css">\n</head>\n<body>\n'
        f'<div id="{box}"></div>\n<script>window._CONFIG = {script_json(config)};</script>\n'
        f'<script src="{script}"></script>\n</body>\n</html>\n'
    )
