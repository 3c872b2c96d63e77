"""Report content for the site farm: what each report says and how it is published.

``generate_report`` invents realistic reports (values satisfying or deliberately breaking the
勾稽 rules), ``known_reports`` gives the hand-checked real ones, ``render`` publishes a report as
HTML, DOCX, XLSX, XLS, PDF, DOC/WPS, text or a scanned PDF, and ``expected_values`` says what a
correct parser must read back from each rendering.
"""

from .generate import generate_report, template_for_year
from .known import known_report_names, known_reports
from .layout import STYLES
from .render import (
    EXTENSIONS,
    FORMATS,
    SLOW_FORMATS,
    expected_template,
    expected_values,
    implied_value,
    render,
    render_batch,
)
from .spec import ReportSpec, rule_failures

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "SLOW_FORMATS",
    "STYLES",
    "ReportSpec",
    "expected_template",
    "expected_values",
    "generate_report",
    "implied_value",
    "known_report_names",
    "known_reports",
    "render",
    "render_batch",
    "rule_failures",
    "template_for_year",
]
