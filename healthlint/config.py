"""Configuration: `.healthlint.yaml`, `[tool.healthlint]` in pyproject.toml, or `--config`.

The file nearest to the current folder wins (searching upward, like ruff and yamllint);
`--config` overrides the search. Unknown keys are errors: a misspelt `ignore` would otherwise
quietly lint everything.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from healthlint.errors import ConfigError
from healthlint.finding import Severity
from healthlint.sources.yamlsafe import load_yaml

CONFIG_NAMES = (".healthlint.yaml", ".healthlint.yml")
#: What a platform may say it lints (healthlint.context.register): auto decides per text.
PROFILES = ("auto", "ad", "article")
LANGUAGES = ("zh", "en")


_DEFAULT_WEIGHTS = {
    Severity.ERROR.value: 10.0,
    Severity.WARNING.value: 3.0,
    Severity.INFO.value: 1.0,
}
_KEYS = ("weights", "categories", "review", "reject")


def _frozen(mapping: Mapping[str, float]) -> Mapping[str, float]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class VerdictPolicy:
    """Weights and thresholds; immutable so one policy can be shared by threads and workers."""

    weights: Mapping[str, float] = field(default_factory=lambda: _frozen(_DEFAULT_WEIGHTS))
    categories: Mapping[str, float] = field(default_factory=lambda: _frozen({}))
    review: float = 3.0
    reject: float = 10.0

    def __post_init__(self) -> None:
        if not 0 < self.review <= self.reject:
            raise ConfigError(
                f"verdict: need 0 < review <= reject, got review={self.review} reject={self.reject}"
            )

    def __reduce__(self) -> tuple[Any, ...]:
        # MappingProxyType does not pickle; process pools need policies to.
        return (
            VerdictPolicy,
            (dict(self.weights), dict(self.categories), self.review, self.reject),
        )

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Any] | None, *, path: str | None = None
    ) -> VerdictPolicy:
        """Build a policy from the `verdict` config value, rejecting unknown or ill-typed keys."""
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise ConfigError("verdict: expected a mapping", path=path)
        unknown = sorted(set(data) - set(_KEYS))
        if unknown:
            raise ConfigError(
                f"verdict: unknown key {unknown[0]!r} (known: {', '.join(_KEYS)})", path=path
            )
        weights = dict(_DEFAULT_WEIGHTS)
        weights.update(_numbers(data.get("weights", {}), "verdict.weights", path))
        bad = sorted(set(weights) - set(_DEFAULT_WEIGHTS))
        if bad:
            raise ConfigError(f"verdict.weights: unknown severity {bad[0]!r}", path=path)
        categories = _numbers(data.get("categories", {}), "verdict.categories", path)
        review = _number(data.get("review", cls.review), "verdict.review", path)
        reject = _number(data.get("reject", cls.reject), "verdict.reject", path)
        try:
            return cls(_frozen(weights), _frozen(categories), review, reject)
        except ConfigError as exc:
            raise ConfigError(exc.message, path=path) from None


def _number(value: Any, key: str, path: str | None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(f"{key}: expected a number, got {value!r}", path=path)
    if value < 0:
        raise ConfigError(f"{key}: must not be negative, got {value!r}", path=path)
    return float(value)


def _numbers(value: Any, key: str, path: str | None) -> dict[str, float]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{key}: expected a mapping of names to numbers", path=path)
    return {str(name): _number(v, f"{key}.{name}", path) for name, v in value.items()}


@dataclass(frozen=True)
class Config:
    """What to lint and how. Every field has a default, so `Config()` is the stock setup."""

    select: tuple[str, ...] = ()  # rule ids or categories; empty means all
    ignore: tuple[str, ...] = ()  # rule ids or categories to switch off
    severity: Mapping[str, str] = field(default_factory=dict)  # rule id or category → severity
    rules_dirs: tuple[str, ...] = ()  # extra rule-pack folders, after the shipped ones
    default_rules: bool = True  # load the shipped packs
    allow: tuple[str, ...] = ()  # phrases never flagged (product names, quoted titles)
    language: str = "zh"  # message language: zh or en
    fail_on: str = "warning"  # lowest severity that makes the exit code 1
    profile: str = "auto"  # what is linted: auto (decide per text), ad or article
    exclude: tuple[str, ...] = ()  # glob patterns of paths not to lint
    verdict: VerdictPolicy = field(default_factory=VerdictPolicy)  # see healthlint.verdict
    path: str | None = None  # the file this came from

    def with_options(self, **changes: Any) -> Config:
        """A copy with command-line options applied (None means: keep the file's value)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_mapping(cls, data: Any, *, path: str | None = None) -> Config:
        """Validate a parsed config; relative `rules_dirs` are relative to the config file."""
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise ConfigError("configuration must be a mapping of options", path=path)
        names = {f.name for f in fields(cls)} - {"path"}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ConfigError(
                f"unknown option {unknown[0]!r} (known: {', '.join(sorted(names))})", path=path
            )
        values: dict[str, Any] = {}
        for key, value in data.items():
            values[key] = _option(key, value, path)
        base = Path(path).parent if path else Path.cwd()
        if "rules_dirs" in values:
            values["rules_dirs"] = tuple(str(base / d) for d in values["rules_dirs"])
        return cls(**values, path=path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Config:
        """Read a `.healthlint.yaml` or a `pyproject.toml` with `[tool.healthlint]`."""
        path = os.fspath(path)
        try:
            with open(path, "rb") as handle:
                raw = handle.read(4 * 1024 * 1024 + 1)
        except OSError as exc:
            raise ConfigError(f"cannot read config: {exc.strerror or exc}", path=path) from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ConfigError("config is not UTF-8 text", path=path) from None
        if path.endswith(".toml"):
            return cls.from_mapping(_toml_section(text, path), path=path)
        return cls.from_mapping(load_yaml(text, path=path, error=ConfigError), path=path)

    @classmethod
    def discover(cls, start: str | os.PathLike[str] | None = None) -> Config:
        """The nearest config from `start` (default: the current folder) upward, or defaults."""
        folder = Path(start or Path.cwd()).resolve()
        for directory in (folder, *folder.parents):
            for name in CONFIG_NAMES:
                if (directory / name).is_file():
                    return cls.load(directory / name)
            pyproject = directory / "pyproject.toml"
            if pyproject.is_file() and "[tool.healthlint" in _read(pyproject):
                return cls.load(pyproject)
        return cls()


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _toml_section(text: str, path: str) -> Any:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=path) from None
    return data.get("tool", {}).get("healthlint", {})


def _option(key: str, value: Any, path: str | None) -> Any:
    """Type-check one option and convert lists to tuples (the Config is immutable)."""
    if key in ("select", "ignore", "rules_dirs", "allow", "exclude"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{key!r} must be a list of strings", path=path)
        return tuple(value)
    if key == "severity":
        if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
            raise ConfigError("'severity' must map rule ids or categories to severities", path=path)
        for name, level in value.items():
            _severity(level, f"severity of {name!r}", path)
        return dict(value)
    if key == "default_rules":
        if not isinstance(value, bool):
            raise ConfigError("'default_rules' must be true or false", path=path)
        return value
    if key == "language":
        if value not in LANGUAGES:
            raise ConfigError("'language' must be zh or en", path=path)
        return value
    if key == "fail_on":
        return _severity(value, "'fail_on'", path)
    if key == "profile":
        if value not in PROFILES:
            raise ConfigError(f"'profile' must be one of {', '.join(PROFILES)}", path=path)
        return value
    if key == "verdict":
        return VerdictPolicy.from_mapping(value, path=path)
    raise ConfigError(f"unknown option {key!r}", path=path)  # pragma: no cover - checked above


def _severity(value: Any, what: str, path: str | None) -> str:
    if value not in {s.value for s in Severity}:
        raise ConfigError(f"{what} must be error, warning or info", path=path)
    return str(value)
