"""Page templates of the county portal: a framed home page, a 信息公开 menu written by script,
lists whose items are click handlers, a pdf.js viewer stub. GB2312, as old county sites are.

Every shape is one real county portals use (research/url-patterns.md §4, gov-sites.md §3):
``<frameset>`` home pages kept from the 2000s, menus built from an inline ``navData`` array by
a loop, ``<a href="javascript:void(0)" onclick="openArticle('2024','3301')">`` items whose URL
only an inline function spells out, PDFs shown through ``/pdfjs/web/viewer.html?file=…``.
"""

from __future__ import annotations

import hashlib
from datetime import date

from ..chrome import article_meta, breadcrumb, column_meta, e, footer, page, site_meta

NAME, DOMAIN, CODE = "清溪县人民政府", "www.qingxi.gov.cn", "3311270001"
COUNTY = "清溪县"
CHARSET = "gb2312"
META = site_meta(NAME, DOMAIN, CODE)
VIEWER = "/pdfjs/web/viewer.html"
Crumbs = tuple[tuple[str, str], ...]

NAV = (
    ("/index.html", "首页", "_top"),
    ("/xxgk/index.html", "政府信息公开", "mainFrame"),
    ("/xwzx/index.html", "新闻中心", "mainFrame"),
    ("http://zwfw.qingxi.gov.cn/", "政务服务", "_blank"),
    ("/hdjl/index.html", "互动交流", "mainFrame"),
)

OPEN_ARTICLE_JS = "function openArticle(y,id){\n  window.open('/xxgk/nb/'+y+'/'+id+'.html');\n}\n"
"""The annual-report column's item handler: ``openArticle('2024','3301')`` opens /xxgk/nb/2024/3301.html."""

SHOW_INFO_JS = (
    "function showInfo(col,id){\n"
    "  var url = '/xxgk/' + col + '/content_' + id + '.html';\n"
    "  window.location.href = url;\n"
    "}\n"
    "function openPdf(f){\n"
    f"  window.open('{VIEWER}?file=' + f);\n"
    "}\n"
)
"""The 部门年报 column's handlers: ``showInfo('bmnb','1205')`` and ``openPdf('/upload/….pdf')``."""


def _page(title: str, meta: str, body: str, scripts: str = "") -> str:
    return page(title, META + meta, body, charset=CHARSET, http_equiv=True, scripts=scripts)


def item_id(key: str) -> int:
    """A 4-digit content id, stable for ``key`` (county CMSs number articles from 1000)."""
    return 1000 + int(hashlib.sha1(key.encode()).hexdigest()[:6], 16) % 9000


def viewer_href(pdf: str) -> str:
    return f"{VIEWER}?file={pdf}"


def header() -> str:
    links = "".join(f'<li><a href="{e(h)}" target="{t}">{e(x)}</a></li>' for h, x, t in NAV)
    return (
        f'<div class="top"><div class="logo"><a href="/index.html" target="_top">{NAME}</a></div></div>\n'
        f'<div class="nav"><ul>{links}</ul></div>\n'
    )


def foot() -> str:
    return footer(NAME, CODE, "浙ICP备05071234号", (("city", "示范市人民政府"),))


def frameset() -> str:
    """The home page: a banner frame over the main frame; nothing else leads on."""
    return (
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Frameset//EN" "http://www.w3.org/TR/html4/frameset.dtd">\n'
        f'<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset={CHARSET}">\n'
        f"<title>{NAME}</title>\n{META}</head>\n"
        '<frameset rows="138,*" frameborder="no" border="0" framespacing="0">\n'
        '  <frame src="/top.html" name="topFrame" scrolling="no" noresize="noresize" title="topFrame">\n'
        '  <frame src="/main.html" name="mainFrame" title="mainFrame">\n'
        "</frameset>\n<noframes><body>您的浏览器不支持框架，请升级浏览器后访问。</body></noframes>\n</html>\n"
    )


def top() -> str:
    body = (
        f'<div class="banner"><img src="/images/banner.jpg" alt="{NAME}" width="1000" height="120"></div>\n'
        '<div class="date"><script type="text/javascript">var d=new Date();'
        'document.write(d.getFullYear()+"年"+(d.getMonth()+1)+"月"+d.getDate()+"日");</script></div>\n'
    )
    return _page(NAME, "", body)


def main(news: list[tuple[str, str, date]]) -> str:
    """The main frame: navigation, 信息公开 entry, latest news."""
    lis = "".join(
        f'<li><a href="{e(h)}" target="_blank" title="{e(t)}">{e(t)}</a><span>{d:%m-%d}</span></li>\n'
        for h, t, d in news
    )
    body = (
        f"{header()}"
        '<div class="index-xxgk"><a href="/xxgk/index.html"><img src="/images/xxgk.gif" alt="政府信息公开"></a>'
        '<a href="/xxgk/index.html">政府信息公开</a></div>\n'
        f'<div class="index-news"><h3>清溪要闻</h3><ul>\n{lis}</ul></div>\n{foot()}'
    )
    return _page(NAME, "", body)


def disclosure(menu: list[tuple[str, str]], intro: str) -> str:
    """The 政府信息公开 section: its left menu exists only as the ``navData`` array and a loop."""
    data = ",".join(f'{{name:"{n}",url:"{u}"}}' for n, u in menu)
    script = (
        '<script type="text/javascript">\n'
        f"var navData=[{data}];\n"
        'var html="";\n'
        "for(var i=0;i<navData.length;i++){\n"
        "  html+='<li><a href=\"'+navData[i].url+'\" target=\"_self\">'+navData[i].name+'</a></li>';\n"
        "}\n"
        'document.getElementById("xxgkNav").innerHTML=html;\n'
        "</script>\n"
    )
    body = (
        f"{header()}{breadcrumb(('/main.html', '首页'), ('', '政府信息公开'))}"
        '<div class="xxgk"><div class="left"><h3>政府信息公开</h3><ul id="xxgkNav" class="left-menu"></ul>\n'
        f'{script}</div>\n<div class="right"><div class="intro">{intro}</div></div></div>\n{foot()}'
    )
    return _page(f"政府信息公开_{NAME}", column_meta("政府信息公开", "信息公开"), body)


def simple(title: str, crumbs: Crumbs, inner: str) -> str:
    body = f'{header()}{breadcrumb(*crumbs)}<div class="main">{inner}</div>\n{foot()}'
    return _page(f"{title}_{NAME}", column_meta(title), body)


def column_page(
    title: str,
    crumbs: Crumbs,
    items: list[tuple[str, str, date]],
    *,
    stated: int,
    pager: str,
    handlers: str,
) -> str:
    """One list page; ``items`` are (link attributes, title, date): ``href=…`` or an onclick."""
    lis = "".join(
        f'<li><span class="date">[{d.isoformat()}]</span><a {attrs} title="{e(t)}">{e(_short(t))}</a></li>\n'
        for attrs, t, d in items
    )
    body = (
        f"{header()}{breadcrumb(*crumbs)}"
        f'<div class="list-box"><div class="list-title"><span>{e(title)}</span></div>\n'
        f'<ul class="list">\n{lis}</ul>\n<div class="page"><span class="total">共 {stated} 条</span> {pager}</div>\n'
        f'<script type="text/javascript">\n{handlers}</script>\n</div>\n{foot()}'
    )
    return _page(f"{title}_{NAME}", column_meta(title, "信息公开年报"), body)


def script_pager(index: int, count: int) -> str:
    """A TRS-like pager copied into the county CMS: createPageHTML from /js/page.js."""
    return (
        '<script type="text/javascript" src="/js/page.js"></script>\n'
        f'<script type="text/javascript">\nvar pageCount = {count};\nvar currentPage = {index};\n'
        'createPageHTML(pageCount, currentPage, "index", "html");\n</script>'
    )


def link_pager(index: int, count: int) -> str:
    """Plain links: 首页 上一页 下一页 尾页 over index.html, index_1.html …"""

    def name(i: int) -> str:
        return "index.html" if i == 0 else f"index_{i}.html"

    out = [f"第 {index + 1}/{count} 页"]
    out.append(f'<a href="{name(0)}">首页</a>' if index else "<span>首页</span>")
    out.append(f'<a href="{name(index - 1)}">上一页</a>' if index else "<span>上一页</span>")
    last = index + 1 >= count
    out.append("<span>下一页</span>" if last else f'<a href="{name(index + 1)}">下一页</a>')
    out.append("<span>尾页</span>" if last else f'<a href="{name(count - 1)}">尾页</a>')
    return "&nbsp;".join(out)


PAGE_JS = """\
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var out = [];
  function href(i){ return i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt; }
  out.push(_nCurrIndex == 0 ? "<span>首页</span>" : "<a href=\\"" + href(0) + "\\">首页</a>");
  out.push(_nCurrIndex == 0 ? "<span>上一页</span>" : "<a href=\\"" + href(_nCurrIndex - 1) + "\\">上一页</a>");
  out.push(_nCurrIndex >= _nPageCount - 1 ? "<span>下一页</span>" : "<a href=\\"" + href(_nCurrIndex + 1) + "\\">下一页</a>");
  out.push(_nCurrIndex >= _nPageCount - 1 ? "<span>尾页</span>" : "<a href=\\"" + href(_nPageCount - 1) + "\\">尾页</a>");
  document.write(out.join("&nbsp;"));
}
"""


def article(
    title: str, stamp: str, source: str, crumbs: Crumbs, body: str, files: list[tuple[str, str]]
) -> str:
    """A detail page; ``files`` are (href, shown name): PDFs go through the viewer."""
    links = "".join(f'<p><a href="{e(h)}" target="_blank">{e(n)}</a></p>' for h, n in files)
    attach = f'<div class="fj"><span>附件：</span>{links}</div>\n' if links else ""
    content = (
        f'{header()}{breadcrumb(*crumbs)}<div class="article"><h1 class="title">{e(title)}</h1>\n'
        f'<div class="info">发布时间：{e(stamp[:16])}&nbsp;&nbsp;来源：{e(source)}&nbsp;&nbsp;'
        '浏览次数：<span id="hits">0</span></div>\n'
        f'<div class="content" id="zoom">\n{body}\n</div>\n{attach}'
        '<div class="close"><a href="javascript:window.close()">【关闭窗口】</a></div></div>\n'
        f"{foot()}"
    )
    return _page(title, article_meta(title, stamp, source), content)


VIEWER_HTML = """\
<!DOCTYPE html>
<html dir="ltr" mozdisallowselectionprint>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1">
<meta name="google" content="notranslate">
<title>PDF.js viewer</title>
<link rel="stylesheet" href="viewer.css">
<script src="../build/pdf.js"></script>
<script src="viewer.js"></script>
</head>
<body tabindex="1">
<div id="outerContainer"><div id="mainContainer">
<div class="toolbar"><div id="toolbarContainer"><span id="numPages" class="toolbarLabel"></span></div></div>
<div id="viewerContainer" tabindex="0"><div id="viewer" class="pdfViewer"></div></div>
</div></div>
</body>
</html>
"""
"""The pdf.js viewer stub: the document comes from the ``file`` parameter, read by viewer.js."""

VIEWER_JS = """\
(function(){
  var params = new URLSearchParams(window.location.search);
  var file = params.get("file");
  window.addEventListener("DOMContentLoaded", function(){
    if(!file || !window.pdfjsLib){ return; }
    pdfjsLib.getDocument(file).promise.then(function(doc){
      document.getElementById("numPages").textContent = "共 " + doc.numPages + " 页";
    });
  });
})();
"""


def _short(title: str, limit: int = 34) -> str:
    return title if len(title) <= limit else title[: limit - 3] + "..."
