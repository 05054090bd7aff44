"""Stage 2: render each blueprint with Jinja2 (sandboxed; an undefined variable is an error)."""

from __future__ import annotations

import bisect
import contextlib
import difflib
import re
import resource
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment

from odooconf.deadline import Expired, deadline
from odooconf.engine.load import RawDocument
from odooconf.model.diagnostics import Diagnostic, SourceRef

#: Rendered output beyond this is refused (a template loop gone wild).
MAX_OUTPUT = 10 * 1024 * 1024
#: Seconds one blueprint may take to render (nested loops can spin without output).
MAX_SECONDS = 10.0
#: Memory rendering one blueprint may take beyond what the process holds: the output cap's
#: characters several times over (Python's strings take up to 4 bytes a character).
MAX_MEMORY = 128 * 1024 * 1024


@dataclass(frozen=True)
class RenderedDocument:
    """A blueprint's text after Jinja2, still unparsed."""

    name: str
    text: str
    #: Template line of each rendered line (index 0 = rendered line 1); empty: the same lines.
    #: A loop repeats template lines, so diagnostics must name the line of the file itself.
    line_map: tuple[int, ...] = ()

    def source_line(self, rendered_line: int | None) -> int | None:
        """The blueprint file's line for a line of the rendered text."""
        if rendered_line is None or not self.line_map:
            return rendered_line
        return self.line_map[min(rendered_line, len(self.line_map)) - 1]


def render_documents(
    documents: list[RawDocument], variables: Mapping[str, Any]
) -> tuple[list[RenderedDocument], list[Diagnostic]]:
    """Render every document with the environment's variables; collect every error."""
    texts = {doc.name: doc.text for doc in documents}
    env = Sandbox(
        # The template's filename is its name, so traceback frames map back to file lines.
        loader=jinja2.FunctionLoader(
            lambda name: (texts[name], name, lambda: True) if name in texts else None
        ),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        optimized=False,  # see _NoFolding
    )
    rendered: list[RenderedDocument] = []
    diagnostics: list[Diagnostic] = []
    for doc in documents:
        try:
            text, line_map = _render(env, doc.name, variables)
            rendered.append(RenderedDocument(doc.name, text, line_map))
        except jinja2.TemplateSyntaxError as exc:
            source = SourceRef(exc.filename or doc.name, exc.lineno)
            diagnostics.append(Diagnostic("OC-R001", f"template syntax: {exc.message}", source))
        except jinja2.TemplateError as exc:  # Jinja's and the sandbox's refusals
            source = SourceRef(doc.name, _template_line(exc.__traceback__, doc.name))
            diagnostics.append(Diagnostic("OC-R002", _describe(exc, variables), source))
        except _EXPRESSION_ERRORS as exc:
            # What a template expression raises (``{{ 1 / 0 }}``, a huge ``range``, endless
            # macro recursion) is the blueprint's; the same raised by odooconf's own code, outside
            # any template frame, is a bug and goes on to the internal-error handler.
            line = _template_line(exc.__traceback__, doc.name)
            if line is None:
                raise
            source = SourceRef(doc.name, line)
            diagnostics.append(Diagnostic("OC-R002", _describe(exc, variables), source))
    return rendered, diagnostics


#: Exceptions template expressions raise on bad values (Jinja lets Python's own through).
_EXPRESSION_ERRORS = (
    ArithmeticError, LookupError, TypeError, ValueError, RecursionError, MemoryError,
)  # fmt: skip


class _NoFolding(CodeGenerator):
    """Jinja evaluates constant expressions while it compiles (``{{ 'x' | center(400000000) }}``),
    outside the bounds on rendering and any template line: here every expression is evaluated
    when the template renders; only its text is constant."""

    def _output_child_to_const(self, node: nodes.Expr, frame: Any, finalize: Any) -> str:
        if not isinstance(node, nodes.TemplateData):
            raise nodes.Impossible()
        return super()._output_child_to_const(node, frame, finalize)


class Sandbox(SandboxedEnvironment):
    """The sandbox, also refusing arithmetic that would build a huge value in one expression."""

    code_generator_class = _NoFolding
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise jinja2.TemplateError("exponent too large")
        sized = isinstance(left, str | list | tuple) and isinstance(right, int)
        if operator == "*" and sized and len(left) * right > MAX_OUTPUT:
            raise jinja2.TemplateError(f"result would exceed {MAX_OUTPUT} characters")
        if operator == "*" and isinstance(right, str | list | tuple) and isinstance(left, int):
            return self.call_binop(context, operator, right, left)
        return super().call_binop(context, operator, left, right)


def _render(
    env: SandboxedEnvironment, name: str, variables: Mapping[str, Any]
) -> tuple[str, tuple[int, ...]]:
    """The rendered text and the template line of each of its lines.

    Each chunk Jinja yields comes from a template line: an expression's is in the compiled
    code's line map; a chunk of template text is found among the lexer's text tokens (the first
    at or after that line). Newlines inside a chunk advance the line.
    """
    template = env.get_template(name)
    source = env.loader.get_source(env, name)[0] if env.loader else ""
    texts: dict[str, list[int]] = {}
    for at, token, value in env.lex(source):
        if token == "data":
            texts.setdefault(value, []).append(at)
    parts: list[str] = []
    line_map: list[int] = []
    size = 0
    line = 1
    with bounded(MAX_SECONDS, MAX_MEMORY):
        context = template.new_context(dict(variables))
        render = template.root_render_func(context)
        try:
            for chunk in render:
                frame = getattr(render, "gi_frame", None)
                if frame is not None:
                    line = template.get_corresponding_lineno(frame.f_lineno)
                    candidates = texts.get(chunk, [])
                    found = bisect.bisect_left(candidates, line)
                    line = candidates[found] if found < len(candidates) else line
                size += len(chunk)
                if size > MAX_OUTPUT:
                    raise jinja2.TemplateError(f"renders to more than {MAX_OUTPUT} characters")
                parts.append(chunk)
                for _newline in range(chunk.count("\n")):
                    line_map.append(line)
                    line += 1
        except Exception:
            env.handle_exception()  # re-raises with the traceback mapped to template lines
    line_map.append(line)
    return "".join(parts), tuple(line_map)


@contextlib.contextmanager
def bounded(seconds: float, memory: int) -> Iterator[None]:
    """Interrupt rendering after ``seconds``, and refuse it more than ``memory`` bytes of address
    space beyond what the process has (an amplifying expression — a huge padding width or format
    width, a replace — builds its value before the output cap could see it). Both only where the
    command line runs: on the main thread (a timer signal), on Linux (``/proc``)."""
    with _memory_cap(memory):
        try:
            with deadline(seconds):
                yield
        except Expired:
            raise jinja2.TemplateError(f"took more than {seconds:g} s to render") from None


@contextlib.contextmanager
def _memory_cap(extra: int) -> Iterator[None]:
    """A process-wide limit: set only on the main thread, as the deadline (a library caller's
    other threads would get its MemoryErrors)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            used = int(statm.read().split()[0]) * resource.getpagesize()
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    except (OSError, ValueError, AttributeError):
        yield
        return
    cap = used + extra
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft <= cap:
        yield  # already tighter
        return
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _describe(exc: BaseException, variables: Mapping[str, Any]) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        message = f"undefined template variable: {exc.message}"
        missing = re.match(r"'(\w+)' is undefined", exc.message or "")
        if missing:
            close = difflib.get_close_matches(missing.group(1), list(variables), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            message += f" ({hint}the environment defines: {', '.join(sorted(variables))})"
        return message
    if isinstance(exc, jinja2.TemplateError):
        return f"template error: {exc.message}"
    if isinstance(exc, MemoryError):
        return f"template error: needs more than {MAX_MEMORY // 2**20} MB to render"
    return f"template error: {type(exc).__name__}: {exc}"


def _template_line(tb: TracebackType | None, name: str) -> int | None:
    """Line of the template being rendered: Jinja maps template frames to the file's lines."""
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == name:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
