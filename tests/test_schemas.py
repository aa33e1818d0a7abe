"""The shipped JSON Schemas: current with the declarations, and agreeing with the loaders on
the shipped rules, the README's configuration and a config with a typo."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from readme import blocks

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "healthlint" / "schemas"


def generator():
    spec = importlib.util.spec_from_file_location("schemas", ROOT / "scripts" / "schemas.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def test_shipped_schemas_are_what_the_script_writes() -> None:
    for name, text in generator().rendered().items():
        assert (SCHEMAS / name).read_text(encoding="utf-8") == text, "run scripts/schemas.py"


def test_every_shipped_rule_file_validates() -> None:
    validator = jsonschema.Draft7Validator(schema("rule"))
    files = [p for p in sorted((ROOT / "rules").rglob("*.yaml")) if p.name != "_defaults.yaml"]
    assert files
    for path in files:
        errors = list(validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
        assert not errors, f"{path}: {errors[0].message}"


def test_readme_configuration_validates_and_a_typo_does_not() -> None:
    validator = jsonschema.Draft7Validator(schema("config"))
    (example,) = blocks("Configuration", "yaml")
    assert "yaml-language-server: $schema=" in example
    validator.validate(yaml.safe_load(example))
    for bad in ({"ignores": []}, {"fail_on": {"a": 1}}, {"language": "fr"}):
        with pytest.raises(jsonschema.ValidationError):
            validator.validate(bad)
