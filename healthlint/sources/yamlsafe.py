"""YAML for rule packs and configs: data only, with line numbers, and bounded.

Rule packs and configs come from users, so loading one must neither run code nor let a small
file take unbounded time or memory. PyYAML's composer gives a node graph without constructing
anything; this module turns that graph into plain data itself, allowing only strings, numbers,
booleans, null, mappings and lists. Before building, the size the aliases would expand to is
counted over the graph (each node once), so an alias bomb ("billion laughs") is refused in
linear time, and a recursive alias, nesting too deep, a duplicate key, a foreign tag or an
oversize file are refused with ``file:line`` from the parser's own marks.

Mappings and lists come back as `LineDict`/`LineList`, which remember the line they start on,
so later validation can name ``file:line`` too.

PyYAML is imported on the first `load_yaml` call, not with this module: compiled rule packs
come from the cache (healthlint.cache) and most projects have no YAML config, so most runs
parse no YAML and should not pay for importing a parser.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from healthlint.errors import HealthlintError

if TYPE_CHECKING:
    import yaml

MAX_BYTES = 4 * 1024 * 1024
MAX_NODES = 500_000
MAX_DEPTH = 64

_TAG = "tag:yaml.org,2002:"
_PLAIN_SCALARS = frozenset(_TAG + name for name in ("str", "int", "float", "bool", "null"))
_MAP, _SEQ, _MERGE, _TIMESTAMP = (_TAG + n for n in ("map", "seq", "merge", "timestamp"))


class LineDict(dict):  # type: ignore[type-arg]
    line: int | None = None
    #: key → the 1-based line the key is written on, so an error about one value names it
    key_lines: dict[Any, int] | None = None


class LineList(list):  # type: ignore[type-arg]
    line: int | None = None


def line_of(value: Any) -> int | None:
    """The 1-based line a mapping or list started on, if it came from YAML."""
    return getattr(value, "line", None)


def key_line(mapping: Any, key: Any) -> int | None:
    """The 1-based line `key` is written on in a mapping that came from YAML, else the line the
    mapping starts on (None for plain data)."""
    lines = getattr(mapping, "key_lines", None) or {}
    return lines.get(key, line_of(mapping))


def load_yaml(
    text: str, *, path: str | None = None, error: type[HealthlintError] = HealthlintError
) -> Any:
    """Parse one YAML document into plain data; raise `error` naming `path` and line.

    Callers read the file with a size limit first (`sources.decode.read_bounded`)."""
    path = "<yaml>" if path is None else path
    if len(text) > MAX_BYTES:
        raise error(f"file too large for a YAML file ({len(text)} characters)", path=path)
    import yaml

    try:
        return _load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.problem and exc.context and not exc.context.startswith("while"):
            problem = f"{exc.context}, {exc.problem}"  # "expected a single document, but ..."
        raise error(f"invalid YAML: {problem}", path=path, line=line, column=column) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "a byte"
        raise error(
            f"invalid YAML: character {char} is not allowed", path=path, line=line
        ) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", path=path) from None


@cache
def _loader_class() -> type[yaml.SafeLoader]:
    """The safe loader with a depth limit: PyYAML's composer recurses once per level of
    nesting, so ``[[[[...`` would otherwise end in a RecursionError. Defined on first use,
    because subclassing needs PyYAML imported."""
    import yaml

    class Loader(yaml.SafeLoader):
        def __init__(self, text: str) -> None:
            super().__init__(text)
            self.depth = 0

        def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
            self.depth += 1
            try:
                if self.depth > MAX_DEPTH:
                    raise _problem(f"nested deeper than {MAX_DEPTH} levels", self.peek_event())
                return super().compose_node(parent, index)  # type: ignore[no-any-return]
            finally:
                self.depth -= 1

    return Loader


def _load(text: str) -> Any:
    loader = _loader_class()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_size(node)
        return _build(loader, node)
    finally:
        loader.dispose()


def _problem(message: str, at: yaml.Node | yaml.Event) -> yaml.MarkedYAMLError:
    import yaml

    return yaml.MarkedYAMLError(problem=message, problem_mark=at.start_mark)


def _check_size(root: yaml.Node) -> None:
    """Refuse a graph whose expansion has more than MAX_NODES nodes, or a cycle.

    Aliases make the node graph a DAG whose expansion can be exponential in the file size; the
    expanded size of each node is computed once (memoised by identity), iteratively so that
    deep nesting cannot exhaust the stack.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            size = 1 + sum(sizes[id(child)] for child in _children(node))
            if size > MAX_NODES:
                raise _problem(f"expands to more than {MAX_NODES} nodes (an alias bomb?)", node)
            sizes[key] = size
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise _problem("recursive alias: a node contains itself", node)
        if len(on_path) >= MAX_DEPTH:
            raise _problem(f"nested deeper than {MAX_DEPTH} levels", node)
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    # Node kinds are told by their `id` ("mapping", "sequence", "scalar"), not isinstance,
    # so that only the functions that parse need PyYAML imported.
    if node.id == "mapping":
        return [n for pair in node.value for n in pair]
    if node.id == "sequence":
        return list(node.value)
    return []


def _build(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """Plain data from a node already checked by `_check_size` (acyclic, bounded, shallow)."""
    if node.id == "mapping":
        if node.tag != _MAP:
            raise _problem(f"tag {node.tag!r} is not allowed; use a plain mapping", node)
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        merged: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged = {**_merge_sources(loader, value_node), **merged}
                continue
            key = _build(loader, key_node)
            if isinstance(key, (dict, list)):
                raise _problem("mapping keys must be plain values", key_node)
            if key in mapping:
                raise _problem(f"duplicate key {key!r}", key_node)
            mapping[key] = _build(loader, value_node)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        for key, value in merged.items():
            mapping.setdefault(key, value)
        return mapping
    if node.id == "sequence":
        if node.tag != _SEQ:
            raise _problem(f"tag {node.tag!r} is not allowed; use a plain list", node)
        sequence = LineList(_build(loader, item) for item in node.value)
        sequence.line = node.start_mark.line + 1
        return sequence
    if node.tag == _TIMESTAMP:  # a date in a message or basis is text, not a datetime
        return node.value
    if node.tag not in _PLAIN_SCALARS:
        raise _problem(f"tag {node.tag!r} is not allowed: only plain data", node)
    return loader.construct_object(node, deep=True)


def _merge_sources(loader: yaml.SafeLoader, node: yaml.Node) -> dict[Any, Any]:
    """The mappings a ``<<:`` key merges in; earlier ones win, as the YAML merge spec says."""
    sources = node.value if node.id == "sequence" else [node]
    merged: dict[Any, Any] = {}
    for source in reversed(sources):
        if source.id != "mapping":
            raise _problem("a merge key (<<) needs a mapping or a list of mappings", source)
        merged.update(_build(loader, source))
    return merged
