"""One generic checker for every rule option, from the options each kind and rule declare.

In the manner of yamllint's `validate_rule_conf`: unknown keys are errors, required keys must
be present, values must have the declared type (a YAML `true` is not a number), list items
their declared type, and values or items one of the declared choices. Defaults are filled in.
Every error is a `RuleError` naming the file and the line of the value (or of its rule).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from healthlint.errors import RuleError
from healthlint.finding import CATEGORIES, Severity
from healthlint.kinds.base import REQUIRED, Option
from healthlint.sources.yamlsafe import line_of

SCOPES = ("clause", "sentence", "paragraph", "document", "window")
SIDES = ("before", "after", "both")
WHERE = ("body", "heading")
LANGUAGES = ("zh", "en")
_TEXT = (str, dict)


def common_options(filters: tuple[str, ...] | None) -> dict[str, Option]:
    """The options every rule has, whatever its kind; `filters` are the optional context
    filters the engine knows (the loader cannot know them: context sits above it), None to
    accept any name."""
    return {
        "id": Option(str, None, "unique rule id, kebab-case; a rule file's name by default"),
        "kind": Option(str, doc="one of the rule kinds"),
        "category": Option(
            str,
            None,
            "one of the seven categories; a rule folder's name by default",
            choices=CATEGORIES,
        ),
        "severity": Option(
            str, doc="error, warning or info", choices=tuple(s.value for s in Severity)
        ),
        "message": Option(_TEXT, doc="what is wrong: text, or {zh: …, en: …}"),
        "basis": Option(str, doc="the law and article or platform rule"),
        "suggestion": Option(_TEXT, None, "wording that would pass"),
        "description": Option(
            _TEXT, None, "why it is wrong, for `healthlint explain` and the docs"
        ),
        "fix": Option((str, dict), None, "delete, or {replace: text}"),
        "examples": Option(dict, doc="{bad: [...], good: [...]}"),
        "exceptions": Option(
            list, [], "longer strings that make a hit inside them innocent", items=str
        ),
        "word_boundary": Option(bool, False, "a hit must start and end on jieba word boundaries"),
        "filters": Option(
            list, None, "the optional context filters this rule runs", items=str, choices=filters
        ),
        "register": Option(
            list,
            None,
            "report only in text of these registers: promotional, advertorial, informational, "
            "unmarked",
            items=str,
            choices=("promotional", "advertorial", "informational", "unmarked"),
        ),
        "scopes": Option(
            list, list(WHERE), "where the rule looks: body, heading", items=str, choices=WHERE
        ),
        "requires": Option(list, [], "conditions that must all hold", items=dict),
        "unless": Option(list, [], "conditions none of which may hold", items=dict),
        "escalate": Option(
            list, [], "conditions any of which raise the severity one level", items=dict
        ),
    }


CONDITION: dict[str, Option] = {
    "scope": Option(str, doc="clause, sentence, paragraph, document or window", choices=SCOPES),
    "any": Option(
        list, doc="terms or `re:` regexes; one occurring in the scope is enough", items=str
    ),
    "window": Option(
        int, 10, "characters either side, within the sentence (scope: window)", minimum=0
    ),
    "side": Option(
        str,
        "both",
        "look only before or after the hit (the hit excluded), or both sides",
        choices=SIDES,
    ),
}


def validate(
    data: Mapping[str, Any], schema: Mapping[str, Option], where: str, path: str, line: int | None
) -> dict[str, Any]:
    """Check `data` against `schema` and return it with defaults filled in."""
    unknown = sorted(set(data) - set(schema), key=str)
    if unknown:
        raise RuleError(f"{where}: unknown option {unknown[0]!r}", path=path, line=line)
    values = {}
    for name, option in schema.items():
        if name not in data:
            if option.default is REQUIRED:
                raise RuleError(f"{where}: missing required option {name!r}", path=path, line=line)
            values[name] = option.default
            continue
        value = data[name]
        at = line_of(value) or line
        _check(value, option.types, f"{where}: {name!r}", path, at)
        members = value if isinstance(value, list) else [value]
        if isinstance(value, list) and option.items is not None:
            for item in value:
                _check(item, option.items, f"{where}: each item of {name!r}", path, at)
        if option.choices is not None:
            bad = [m for m in members if m not in option.choices]
            if bad:
                raise RuleError(
                    f"{where}: {name!r} cannot be {bad[0]!r} "
                    f"(choose from {', '.join(map(str, option.choices))})",
                    path=path,
                    line=at,
                )
        if option.minimum is not None and value < option.minimum:
            raise RuleError(
                f"{where}: {name!r} must be at least {option.minimum}", path=path, line=at
            )
        values[name] = value
    return values


def _check(
    value: Any, types: type | tuple[type, ...], what: str, path: str, line: int | None
) -> None:
    allowed = types if isinstance(types, tuple) else (types,)
    if isinstance(value, bool) and bool not in allowed:  # YAML true is an int to Python
        value_ok = False
    else:
        value_ok = isinstance(value, allowed)
    if not value_ok:
        names = " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in allowed)
        raise RuleError(f"{what} must be {names}", path=path, line=line)


_TYPE_NAMES = {
    str: "text",
    int: "a whole number",
    bool: "true or false",
    list: "a list",
    dict: "a mapping",
}
