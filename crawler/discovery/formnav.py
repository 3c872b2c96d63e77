"""Script pagers that submit a form, read without running them (pure).

Search and list modules of many CMSs (JSP/Spring list pages, 信息公开目录 search modules) page
by a function that sets a hidden field of the page's form and submits it::

    function goPage(n){ var f = document.getElementById("pageForm"); f.pageNo.value = n; f.submit(); }
    <a href="javascript:void(0);" onclick="goPage(2)">下一页</a>

:func:`form_functions` finds such functions in the page's inline scripts: which form they
submit (by id, name or ``document.forms[…]``) and which fields they set to what (a literal or a
parameter, also through jQuery's ``$("#pageNo").val(n)``). The harvest then sends that form as
the browser would, with those fields changed. Anything else in a function (a value computed by
a call) leaves the function out: nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.discovery.scriptnav import _eval, enclosing_function

_NAME = r"[A-Za-z_$][\w$]*"
_STR = r"""['"]([\w\-]+)['"]"""
_FORM_BY_ID = re.compile(rf"\b({_NAME})\s*=\s*document\.(?:getElementById\(\s*{_STR}\s*\)|forms\[\s*{_STR}\s*\]"
                         rf"|forms\.({_NAME})|({_NAME}))\s*;")
_SUBMIT = re.compile(rf"(?:document\.getElementById\(\s*{_STR}\s*\)|document\.forms\[\s*{_STR}\s*\]"
                     rf"|document\.forms\.({_NAME})|document\.({_NAME})|\$\(\s*['\"]#([\w\-]+)['\"]\s*\)|({_NAME}))"
                     r"\s*\.submit\s*\(\s*\)")
_EXPR = r"""('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|-?\d+|[A-Za-z_$][\w$]*)"""
_FIELD_SET = re.compile(
    rf"(?:({_NAME})\.(?:elements\[\s*{_STR}\s*\]|({_NAME}))\.value"
    rf"|document\.getElementById\(\s*{_STR}\s*\)\.value"
    rf"|document\.({_NAME})\.({_NAME})\.value)\s*=(?!=)\s*{_EXPR}\s*[;\n]"
    rf"|\$\(\s*['\"]#([\w\-]+)['\"]\s*\)\.val\(\s*{_EXPR}\s*\)"
)


@dataclass(frozen=True)
class FormFunc:
    """A function that submits a form after setting some of its fields."""

    params: tuple[str, ...]
    form: str
    """Id or name of the form it submits ('' for the page's only form)."""
    fields: tuple[tuple[str, str], ...]
    """(field name or element id, expression) it sets before submitting, in order."""


def form_functions(code: str) -> dict[str, FormFunc]:
    """Functions of the page's scripts that submit a form with fields set from literals and
    their parameters, by name."""
    out: dict[str, FormFunc] = {}
    for submit in _SUBMIT.finditer(code):
        found = enclosing_function(code, submit.start())
        if found is None or found[0] in out:
            continue
        name, params, start = found
        body = code[start: submit.start()]
        aliases = {m.group(1): next(g for g in m.groups()[1:] if g) for m in _FORM_BY_ID.finditer(body)}
        by_id, by_index, by_prop, by_doc, by_jq, by_var = submit.groups()
        form = by_id or by_index or by_prop or by_doc or by_jq or aliases.get(by_var or "", "")
        if by_var and by_var not in aliases:
            continue  # a form object from somewhere else: not readable
        fields = []
        for m in _FIELD_SET.finditer(body):
            var, elem, prop, field_id, _doc_form, doc_field, expr, jq_id, jq_expr = m.groups()
            field = elem or prop or field_id or doc_field or jq_id
            if var and var not in aliases:
                continue
            fields.append((field, expr or jq_expr))
        out[name] = FormFunc(params, form or "", tuple(fields))
    return out


def submitted_fields(func: FormFunc, args: list[str]) -> dict[str, str] | None:
    """The field values a call of ``func`` with literal ``args`` sets, or None when one of them
    is not a literal or a parameter."""
    env = dict(zip(func.params, args, strict=False))
    values = {}
    for field, expr in func.fields:
        got = _eval(expr, env)
        if got is None:
            return None
        values[field] = got
    return values
