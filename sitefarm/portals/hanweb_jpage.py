"""Hanweb JCMS list columns: records inline as ``<script type="text/xml"><datastore>``, more via dataproxy.jsp.

The column page ships the first group (groupSize × perPage records) inside a script tag that
an HTML parser treats as opaque text, declares ``var param_<unitid> = {…}`` (the POST form)
and calls ``$('#<unitid>').jpage({...totalRecord…})`` (gov-sites.md §2). ``JPAGE_JS`` is a
small stand-in for Hanweb's jQuery plugin so a real browser renders and pages the list.
"""

from __future__ import annotations

from html import escape

JPAGE_JS = r"""
(function(){
  function parseRecords(xml){
    var out = [], re = /<record><!\[CDATA\[([\s\S]*?)\]\]><\/record>/g, m;
    while((m = re.exec(xml))){ out.push(m[1]); }
    return out;
  }
  function form(o){ var a = []; for(var k in o){ a.push(encodeURIComponent(k) + "=" + encodeURIComponent(o[k])); } return a.join("&"); }
  function Jpage(el, o){
    var store = el.querySelector("script[type='text/xml']");
    this.el = el; this.o = o; this.page = 1; this.records = parseRecords(store ? store.text : "");
    this.list = document.createElement("div"); this.list.className = "default_pgContainer";
    this.bar = document.createElement("div"); this.bar.className = "default_pgToolbar";
    el.appendChild(this.list); el.appendChild(this.bar); this.show(1);
  }
  Jpage.prototype.pages = function(){ return Math.max(1, Math.ceil(this.o.totalRecord / this.o.perPage)); };
  Jpage.prototype.show = function(p){
    var self = this, o = this.o, need = Math.min(p * o.perPage, o.totalRecord);
    if(this.records.length < need){
      var start = this.records.length + 1, end = start + o.perPage * (o.groupSize || 3) - 1;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", o.proxyUrl + "?startrecord=" + start + "&endrecord=" + end + "&perpage=" + o.perPage, true);
      xhr.setRequestHeader("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.onload = function(){
        if(xhr.status != 200){ self.failed = (self.failed || 0) + 1; if(self.failed < 3){ setTimeout(function(){ self.show(p); }, 500); } return; }
        var got = parseRecords(xhr.responseText);
        if(start > 1 && got.length && got[0] === self.records[self.records.length - 1]){ got.shift(); }
        self.records = self.records.concat(got); if(got.length){ self.show(p); }
      };
      xhr.send(form(window["param_" + o.unitid] || {})); return;
    }
    this.page = p;
    this.list.innerHTML = this.records.slice((p - 1) * o.perPage, p * o.perPage).join("");
    var n = this.pages(), h = [];
    h.push('<a href="javascript:;" data-p="1">首页</a>', '<a href="javascript:;" data-p="' + Math.max(1, p - 1) + '">上页</a>');
    h.push('<a href="javascript:;" data-p="' + Math.min(n, p + 1) + '">下页</a>', '<a href="javascript:;" data-p="' + n + '">尾页</a>');
    h.push("<span>共" + o.totalRecord + "条 " + p + "/" + n + "页</span>");
    this.bar.innerHTML = h.join(" ");
    var links = this.bar.getElementsByTagName("a");
    for(var i = 0; i < links.length; i++){ links[i].onclick = function(){ self.show(+this.getAttribute("data-p")); return false; }; }
  };
  window.$ = window.$ || function(sel){
    var el = document.getElementById(sel.replace(/^#/, ""));
    return { jpage: function(o){ if(el){ el.jpage = new Jpage(el, o); } return this; } };
  };
})();
"""


def record(href: str, title: str, day: str) -> str:
    """One list record as the datastore holds it (attribute quoting as on nhsa.gov.cn)."""
    short = title if len(title) <= 28 else title[:26] + "..."
    return (
        f"<li class=\"ft14lh30 cf\"><font> · </font><a href='{escape(href)}' title='{escape(title)}' "
        f'target="_blank">{escape(short)}</a><span>{day}</span></li>'
    )


def column_block(
    *, unitid: str, columnid: int, webname: str, records: list[str], per_page: int, group_size: int = 3
) -> str:
    """The list container: inline first group, param_<unitid> form, and the jpage call."""
    first = records[: per_page * group_size]
    nextgroup = (
        f'<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid={columnid}'
        f'&unitid={unitid}&webname={webname}&permissiontype=0"></a>'
    )
    recs = "\n".join(f"<record><![CDATA[{r}]]></record>" for r in first)
    return (
        f'<div id="{unitid}"><script type="text/xml"><datastore>\n<nextgroup><![CDATA[{nextgroup}]]></nextgroup>\n'
        f"<recordset>\n{recs}\n</recordset></datastore></script></div>\n"
        f"<script>var param_{unitid} = {{col:1,appid:1,webid:1,path:'/',columnid:{columnid},sourceContentType:1,"
        f"unitid:'{unitid}',webname:'{webname}',permissiontype:0}};\n"
        f"$('#{unitid}').jpage({{ dataStore: null, proxyUrl:'/module/web/jpage/dataproxy.jsp', "
        f"unitid:'{unitid}', totalRecord:{len(records)}, perPage:{per_page}, groupSize:{group_size}, "
        f"webid:1, path:'/', columnid:{columnid}, ajaxType:'post', barPosition:'bottom' }});</script>\n"
    )
