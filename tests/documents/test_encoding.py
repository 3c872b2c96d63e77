"""crawler.documents.encoding: the one bytes→text path."""

from crawler.documents.encoding import decode, decode_html, decode_text

REPORT = "政府信息公开工作年度报告：本年新收申请１２件"


def test_gbk_page_served_as_utf8_is_read_as_gbk():
    data = f'<html><head><meta charset="gb2312"></head><body>{REPORT}</body></html>'.encode("gbk")
    text, encoding = decode_html(data, "text/html; charset=utf-8")
    assert REPORT in text
    assert encoding == "gb18030"


def test_meta_gb2312_with_header_gbk_both_mean_gb18030():
    # 镕 is outside GB2312: a strict gb2312 decoder would fail on it
    data = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>朱镕基</p>'.encode(
        "gb18030"
    )
    text, encoding = decode_html(data, "text/html; charset=GBK")
    assert "朱镕基" in text and encoding == "gb18030"


def test_tomcat_latin1_header_does_not_win_over_real_gbk():
    data = f"<meta charset=gbk><p>{REPORT}</p>".encode("gbk")
    assert REPORT in decode_html(data, "text/html;charset=ISO-8859-1")[0]


def test_utf8_page_with_bom_and_stale_gb2312_meta():
    data = b"\xef\xbb\xbf" + f"<meta charset=gb2312><p>{REPORT}</p>".encode()
    text, encoding = decode_html(data)
    assert text.startswith("<meta") and REPORT in text and encoding == "utf-8"


def test_text_utf16_with_and_without_bom():
    assert decode_text("\ufeff".encode("utf-16-le") + REPORT.encode("utf-16-le"))[0] == REPORT
    rows = "规章\t0\t0\t0\n规范性文件\t1\t2\t3\n" * 3
    assert decode_text(rows.encode("utf-16-le")) == (rows, "utf-16-le")


def test_undecodable_bytes_are_replaced_and_flagged():
    decoded = decode(REPORT.encode("gbk") + b"\xff", markup=False)
    assert decoded.text.startswith(REPORT) and decoded.lossy
