"""Write the JSON Schemas healthlint ships, from the declarations the loaders check against.

    python scripts/schemas.py          # rewrite healthlint/schemas/*.schema.json
    python scripts/schemas.py --check  # exit 1 if a shipped schema is not what this writes

`config.schema.json` comes from `healthlint.config.OPTIONS`; `rule.schema.json` from the
options every rule has (`healthlint.rules.schema.common_options`) and each kind's `OPTIONS`
(`healthlint.kinds.KINDS`). Editors with a YAML language server read them through a
`# yaml-language-server: $schema=…` line; the loaders stay the authority (they also check
what a schema cannot say, such as rule ids that exist).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from healthlint.config import OPTIONS, SEVERITIES
from healthlint.finding import CATEGORIES
from healthlint.kinds import KINDS
from healthlint.kinds.base import REQUIRED
from healthlint.rules.schema import CONDITION, common_options

FOLDER = Path(__file__).resolve().parent.parent / "healthlint" / "schemas"
BASE = "https://raw.githubusercontent.com/healthlint/healthlint/main/healthlint/schemas"
_TYPES = {str: "string", int: "integer", bool: "boolean", list: "array", dict: "object"}


def config_schema() -> dict[str, Any]:
    numbers = {"type": "number", "minimum": 0}
    shapes: dict[str, Any] = {
        "names": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        "bool": {"type": "boolean"},
        "severities": {"type": "object", "additionalProperties": {"enum": list(SEVERITIES)}},
        "verdict": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "weights": _closed(dict.fromkeys(SEVERITIES, numbers)),
                "categories": _closed(dict.fromkeys(CATEGORIES, numbers)),
                "review": numbers,
                "reject": numbers,
            },
        },
    }
    properties = {}
    for name, option in OPTIONS.items():
        shape = {"enum": list(option.choices)} if option.shape == "choice" else shapes[option.shape]
        properties[name] = {"description": option.doc, **shape}
    return _document("config", "healthlint configuration (.healthlint.yaml)", _closed(properties))


def _closed(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "properties": properties}


def _option(option: Any) -> dict[str, Any]:
    types = option.types if isinstance(option.types, tuple) else (option.types,)
    out: dict[str, Any] = {"description": option.doc} if option.doc else {}
    kinds = sorted({_TYPES[t] for t in types})
    out["type"] = kinds[0] if len(kinds) == 1 else kinds
    if option.items is not None:
        items = option.items if isinstance(option.items, tuple) else (option.items,)
        out["items"] = {"type": _TYPES[items[0]]} if len(items) == 1 else {}
        if option.choices is not None:
            out["items"]["enum"] = list(option.choices)
    elif option.choices is not None:
        out["enum"] = list(option.choices)
    if option.minimum is not None:
        out["minimum"] = option.minimum
    return out


def rule_schema() -> dict[str, Any]:
    common = common_options(None)
    condition = _closed({name: _option(o) for name, o in CONDITION.items()})
    condition["required"] = [n for n, o in CONDITION.items() if o.default is REQUIRED]
    variants = []
    for name in sorted(KINDS):
        options = {**common, **KINDS[name].options}
        properties = {key: _option(o) for key, o in options.items()}
        properties["kind"] = {"const": name}
        for key in ("requires", "unless", "escalate"):
            properties[key]["items"] = {"$ref": "#/definitions/condition"}
        rule = _closed(properties)
        rule["required"] = sorted(k for k, o in options.items() if o.default is REQUIRED)
        variants.append(rule)
    pack = _closed(
        {
            "description": {"type": "string"},
            "rules": {"type": "array", "items": {"$ref": "#/definitions/rule"}},
            "lexicon": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
            "fragments": {"type": "object", "additionalProperties": {"type": "string"}},
        }
    )
    document = _document(
        "rule",
        "a healthlint rule file: one rule, or a pack with `rules:`, `lexicon:`, `fragments:`",
        {"oneOf": [{"$ref": "#/definitions/rule"}, pack]},
    )
    document["definitions"] = {"rule": {"oneOf": variants}, "condition": condition}
    return document


def _document(name: str, title: str, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": f"{BASE}/{name}.schema.json",
        "title": title,
        **body,
    }


def rendered() -> dict[str, str]:
    return {
        f"{name}.schema.json": json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
        for name, schema in (("config", config_schema()), ("rule", rule_schema()))
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    stale = []
    for name, text in rendered().items():
        path = FOLDER / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"stale: {', '.join(stale)} (run python scripts/schemas.py)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
