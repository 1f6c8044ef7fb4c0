"""The letter template engine: HTML + CSS a volunteer edits, Jinja2 in its sandbox
(autoescape on, StrictUndefined), rendered to PDF with WeasyPrint.

Public for other billing features (payment reminders render their letter with it):
`LetterTemplate`, `check_template` (refuses unknown merge fields, with their line),
`render_html` and `render_pdf`. The merge fields are `catalogue.MERGE_FIELDS`.
"""

import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import weasyprint
from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.exceptions import TemplateAssertionError, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from kring_billing.letters.catalogue import MERGE_FIELDS_BY_NAME

# Names Jinja2 itself provides to every template.
_JINJA_GLOBALS = frozenset({"range", "dict", "lipsum", "cycler", "joiner", "namespace", "loop"})
_LOOP_ATTRIBUTES = frozenset(
    {"index", "index0", "revindex", "revindex0", "first", "last", "length", "previtem", "nextitem"}
)
_CURRENCY_SIGNS = {"EUR": "€"}


@dataclass(frozen=True)
class LetterTemplate:
    html: str
    css: str = ""


@dataclass(frozen=True)
class TemplateProblem:
    """Why a template cannot be saved: the part (`html`), its line and what is wrong."""

    field: str
    line: int
    message: str


class TemplateRefused(Exception):
    def __init__(self, problems: list[TemplateProblem]) -> None:
        super().__init__("; ".join(f"line {p.line}: {p.message}" for p in problems))
        self.problems = problems


class RenderFailed(Exception):
    """A checked template failed on the data (e.g. a filter given an empty value)."""


def money(value: Decimal | int | None, currency: str = "EUR") -> str:
    """€ 1.234,50, as Belgian and Dutch letters print amounts."""
    if value is None:
        return ""
    grouped = f"{Decimal(value):,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{_CURRENCY_SIGNS.get(currency, currency)} {grouped}"


def day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _finalize(value: Any) -> Any:
    # An empty field prints nothing, not "None".
    return "" if value is None else value


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, finalize=_finalize)
    env.filters["money"] = money
    env.filters["day"] = day
    return env


_ENV = _environment()

# --- checking a template against the catalogue -------------------------------------------

# What a name in scope holds: the attributes it has (None: anything, e.g. a local `set`).
_Scope = dict[str, frozenset[str] | None]


def _catalogue_scope() -> _Scope:
    scope: _Scope = {}
    for name, merge_field in MERGE_FIELDS_BY_NAME.items():
        scope[name] = None if not merge_field.attributes else frozenset()
    return scope


def _item_attributes(iterated: nodes.Node) -> frozenset[str] | None:
    """The attributes of what a `for` loop over `iterated` yields (a catalogue list)."""
    if isinstance(iterated, nodes.Name):
        merge_field = MERGE_FIELDS_BY_NAME.get(iterated.name)
        if merge_field is not None and merge_field.is_list:
            return frozenset(merge_field.attributes)
    return None


def _attributes_of(name: str, scope: _Scope) -> frozenset[str] | None:
    """What attributes `name.x` may use: a catalogue object's, a loop item's, or any."""
    if name == "loop":
        return _LOOP_ATTRIBUTES
    if name in scope and scope[name] is not None and scope[name]:
        return scope[name]
    merge_field = MERGE_FIELDS_BY_NAME.get(name)
    if merge_field is not None and name not in _locals(scope):
        # A list has no attributes of its own; an object has its catalogue's.
        return frozenset() if merge_field.is_list else frozenset(merge_field.attributes)
    return None


def _locals(scope: _Scope) -> set[str]:
    return {name for name in scope if name not in MERGE_FIELDS_BY_NAME}


def _target_names(target: nodes.Node) -> list[str]:
    """The names a `for` or `set` binds (one name, or a tuple of them)."""
    if isinstance(target, nodes.Name):
        return [target.name]
    return [name.name for name in target.find_all(nodes.Name)]


def _problems(node: nodes.Node, scope: _Scope) -> Iterator[TemplateProblem]:
    if isinstance(node, nodes.For):
        yield from _problems(node.iter, scope)
        inner = dict(scope)
        item = _item_attributes(node.iter)
        for name in _target_names(node.target):
            inner[name] = item
        for child in (*node.body, *([node.test] if node.test else [])):
            yield from _problems(child, inner)
        for child in node.else_:
            yield from _problems(child, scope)
        return
    if isinstance(node, nodes.Assign | nodes.AssignBlock):
        for name in _target_names(node.target):
            scope[name] = None
        body = [node.node] if isinstance(node, nodes.Assign) else node.body
        for child in body:
            yield from _problems(child, scope)
        return
    if isinstance(node, nodes.Include | nodes.Extends | nodes.Import | nodes.FromImport):
        yield TemplateProblem("html", node.lineno, "templates cannot include other templates")
        return
    if isinstance(node, nodes.Macro | nodes.CallBlock):
        yield TemplateProblem("html", node.lineno, "macros are not supported in letters")
        return
    if isinstance(node, nodes.Getattr | nodes.Getitem) and isinstance(node.node, nodes.Name):
        attribute = _accessed_attribute(node)
        allowed = _attributes_of(node.node.name, scope)
        if attribute is not None and allowed is not None and attribute not in allowed:
            yield TemplateProblem(
                "html", node.lineno, f"unknown merge field '{node.node.name}.{attribute}'"
            )
    if isinstance(node, nodes.Name) and node.ctx == "load":
        known = node.name in scope or node.name in _JINJA_GLOBALS
        if not known:
            yield TemplateProblem("html", node.lineno, f"unknown merge field '{node.name}'")
    for child in node.iter_child_nodes():
        yield from _problems(child, scope)


def _accessed_attribute(node: nodes.Getattr | nodes.Getitem) -> str | None:
    if isinstance(node, nodes.Getattr):
        return node.attr
    if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        return node.arg.value
    return None


def check_template(template: LetterTemplate) -> None:
    """Refuses (TemplateRefused) a template that does not parse, uses an unknown filter,
    or names a merge field or attribute the catalogue does not have."""
    try:
        tree = _ENV.parse(template.html)
        _ENV.compile(tree)
    except TemplateSyntaxError as exc:
        raise TemplateRefused(
            [TemplateProblem("html", exc.lineno, exc.message or str(exc))]
        ) from exc
    except TemplateAssertionError as exc:  # e.g. an unknown filter
        raise TemplateRefused(
            [TemplateProblem("html", exc.lineno, exc.message or str(exc))]
        ) from exc
    problems = list(_problems(tree, _catalogue_scope()))
    if problems:
        raise TemplateRefused(problems)


# --- rendering ------------------------------------------------------------------------------


def render_html(template: LetterTemplate, context: Mapping[str, Any]) -> str:
    try:
        return _ENV.from_string(template.html).render(context)
    except TemplateError as exc:
        raise RenderFailed(str(exc)) from exc


def _only_inline_resources(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Letters may embed images as data: URIs; nothing is fetched from a network or a file
    (a template is user input)."""
    if url.startswith("data:"):
        return weasyprint.default_url_fetcher(url, *args, **kwargs)  # type: ignore[no-any-return]
    raise ValueError(f"letters fetch no resources ({url[:40]})")


def document_of(template: LetterTemplate, context: Mapping[str, Any]) -> weasyprint.Document:
    html = weasyprint.HTML(
        string=render_html(template, context), url_fetcher=_only_inline_resources
    )
    stylesheets = [weasyprint.CSS(string=template.css)] if template.css.strip() else []
    return html.render(stylesheets=stylesheets)


def first_page_png(pdf: bytes, scale: float = 1.5) -> bytes:
    """Page 1 of a PDF as PNG (a preview an <img> shows; 1.5 is about 108 dpi)."""
    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=scale).to_pil()
    finally:
        document.close()
    output = io.BytesIO()
    image.save(output, "PNG")
    return output.getvalue()


def render_pdf(template: LetterTemplate, context: Mapping[str, Any]) -> bytes:
    """The letter as PDF (CPU-bound: call it in a worker thread from async code)."""
    output = io.BytesIO()
    document_of(template, context).write_pdf(output)
    return output.getvalue()
