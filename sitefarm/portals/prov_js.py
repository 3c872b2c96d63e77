"""Scripts of the "prov" portal: a stand-in for TRS's ``listModel.js`` (动静结合 lists) and the
external ``column-list.js`` of a 加载更多 list, so a real browser pages both lists as on the real sites.

``LISTMODEL_JS`` follows pingtan.gov.cn's column (url-patterns.md §3): pages up to
``maxStaticIndex`` are the static ``index.html``/``index_N.html``; later ones are a form POST of
``listArgs`` + ``page`` + ``prepage`` to ``SiteInfo.searchUrl``, whose JSON answer may carry raw line
breaks inside strings (gov-sites.md §1, "JSON-ish text that needs \\n/\\r stripped").
``COLUMN_LIST_JS`` is the doT/`$.ajax` pattern of gov-sites.md §3 (an empty ``<ul id="list">`` filled
from an endpoint only the external script names), with a 加载更多 button instead of a pager.
"""

from __future__ import annotations

LISTMODEL_JS = r"""
/* TRS WCM 动静结合列表 listModel v2.3：首页静态发布，其余页面走检索服务 */
function listModel(o){
  var site = window.SiteInfo || {}, bar = o.pagebar || {};
  var per = +bar.prepage || 10, total = +bar.recordCount || 0;
  var pages = Math.max(1, Math.ceil(total / per)), maxStatic = +o.maxStaticIndex || 1;
  var list = document.getElementById(o.listId || "list"), box = document.getElementById(o.barId || "pagebar");
  var cur = +(o.currentPage || 1);
  function esc(s){ return String(s).replace(/[&<>"]/g, function(c){ return {"&":"&amp;","<":"&lt;",">":"&gt;","\"":"&quot;"}[c]; }); }
  function form(obj){ var a = []; for(var k in obj){ a.push(encodeURIComponent(k) + "=" + encodeURIComponent(obj[k])); } return a.join("&"); }
  function go(p){
    p = Math.max(1, Math.min(pages, p));
    if(p <= maxStatic){ location.href = p == 1 ? "index.html" : "index_" + (p - 1) + ".html"; return; }
    var args = {}; for(var k in (o.listArgs || {})){ args[k] = o.listArgs[k]; }
    args.page = p; args.prepage = per;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", o.url || o.searchUrl || site.searchUrl || "/was5/web/search", true);
    xhr.setRequestHeader("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.onload = function(){
      var d = JSON.parse(xhr.responseText.replace(/[\r\n\t]+/g, " ")), docs = (d.data || {}).docs || [], h = [];
      for(var i = 0; i < docs.length; i++){
        h.push('<li><a href="' + esc(docs[i].docpuburl) + '" title="' + esc(docs[i].doctitle) + '" target="_blank">' +
               esc(docs[i].doctitle) + "</a><span>" + esc(String(docs[i].docreltime).substring(0, 10)) + "</span></li>");
      }
      list.innerHTML = h.join("\n"); cur = p; draw();
    };
    xhr.send(form(args));
  }
  function draw(){
    if(!box){ return; }
    var h = ['<span class="total">共' + total + "条</span>"];
    h.push('<a href="javascript:void(0)" data-p="1">首页</a>', '<a href="javascript:void(0)" data-p="' + (cur - 1) + '">上一页</a>');
    h.push('<a href="javascript:void(0)" data-p="' + (cur + 1) + '">下一页</a>', '<a href="javascript:void(0)" data-p="' + pages + '">尾页</a>');
    h.push("<span>第" + cur + "/" + pages + "页</span>");
    box.innerHTML = h.join(" ");
    var links = box.getElementsByTagName("a");
    for(var i = 0; i < links.length; i++){ links[i].onclick = function(){ go(+this.getAttribute("data-p")); return false; }; }
  }
  draw();
}
"""

COLUMN_LIST_JS = r"""
/* 栏目列表：首次加载及点击“加载更多”时按页请求 */
(function(){
  var list = document.getElementById("list"), btn = document.getElementById("loadMore");
  if(!list || !btn){ return; }
  var column = list.getAttribute("data-column"), page = 0, size = 3, loading = false;
  function esc(s){ return String(s).replace(/[&<>"]/g, function(c){ return {"&":"&amp;","<":"&lt;",">":"&gt;","\"":"&quot;"}[c]; }); }
  function load(){
    if(loading || btn.disabled){ return; }
    loading = true; btn.textContent = "加载中...";
    var xhr = new XMLHttpRequest();
    xhr.open("GET", "/api/column/list?columnId=" + column + "&page=" + (page + 1) + "&pageSize=" + size, true);
    xhr.onload = function(){
      loading = false;
      var d = JSON.parse(xhr.responseText), rows = d.data || [];
      page += 1; size = d.pageSize || size;
      for(var i = 0; i < rows.length; i++){
        var li = document.createElement("li");
        li.innerHTML = '<a href="' + esc(rows[i].link) + '" title="' + esc(rows[i].title) + '" target="_blank">' +
                       esc(rows[i].title) + '</a><span class="date">' + esc(rows[i].date) + "</span>";
        list.appendChild(li);
      }
      if(list.children.length >= d.total || !rows.length){ btn.disabled = true; btn.textContent = "没有更多了"; }
      else { btn.textContent = "加载更多"; }
    };
    xhr.onerror = function(){ loading = false; btn.textContent = "加载更多"; };
    xhr.send();
  }
  btn.addEventListener("click", load);
  load();
})();
"""

GOPAGE_JS = """\
function goPage(n){
  var f = document.getElementById("pageForm");
  f.pageNo.value = n;
  f.submit();
}
"""
"""Inline in every /search/list.do answer: the pager buttons submit the same form with another pageNo."""
