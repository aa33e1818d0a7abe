"""Configuration: `.healthlint.yaml`, `.healthlint.toml`, `[tool.healthlint]` in pyproject.toml,
or `--config FILE`.

The file nearest to the linted path wins (searching upward, like ruff and yamllint); `--config`
overrides the search and `--isolated` turns it off. Nothing is silent: an unknown key, a value of
the wrong type and (checked by the engine, which knows the rules) an unknown rule id are errors
naming the file and the line, because a misspelt `ignore` would otherwise quietly lint
everything. The options are declared once, in `OPTIONS`, which the validator and the shipped
JSON Schema (`scripts/schemas.py`) both read.
"""

from __future__ import annotations

import math
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from healthlint.errors import ConfigError
from healthlint.finding import CATEGORIES, Severity
from healthlint.sources.yamlsafe import MAX_BYTES, key_line, load_yaml

#: Looked for in each folder, in this order; pyproject.toml counts only with [tool.healthlint].
CONFIG_NAMES = (".healthlint.yaml", ".healthlint.yml", ".healthlint.toml")
LANGUAGES = ("zh", "en")
#: What a platform may say it lints (healthlint.context.register): auto decides per text.
PROFILES = ("auto", "ad", "article")
#: When pictures are read (healthlint.images): auto when the images extra is installed.
IMAGE_MODES = ("auto", "always", "never")
SEVERITIES = tuple(s.value for s in Severity)

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
        cls, data: Mapping[str, Any] | None, *, path: str | None = None, line: int | None = None
    ) -> VerdictPolicy:
        """Build a policy from the `verdict` config value, rejecting unknown or ill-typed keys."""
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise ConfigError("verdict: expected a mapping", path=path, line=line)
        unknown = sorted(set(data) - set(_KEYS), key=str)
        if unknown:
            raise ConfigError(
                f"verdict: unknown key {unknown[0]!r} (known: {', '.join(_KEYS)})",
                path=path,
                line=key_line(data, unknown[0]) or line,
            )

        def checked(key: str, check: Any, *args: Any) -> Any:
            try:
                return check(*args)
            except ConfigError as exc:
                at = key_line(data, key) or line
                raise ConfigError(exc.message, path=path, line=at) from None

        weights = dict(_DEFAULT_WEIGHTS)
        weights.update(
            checked("weights", _numbers, data.get("weights", {}), "verdict.weights", SEVERITIES)
        )
        categories = checked(
            "categories", _numbers, data.get("categories", {}), "verdict.categories", CATEGORIES
        )
        review = checked("review", _number, data.get("review", cls.review), "verdict.review")
        reject = checked("reject", _number, data.get("reject", cls.reject), "verdict.reject")
        try:
            return cls(_frozen(weights), _frozen(categories), review, reject)
        except ConfigError as exc:
            raise ConfigError(exc.message, path=path, line=line) from None


def _number(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{key}: expected a number, got {_shown(value)}")
    try:
        number = float(value)
    except OverflowError:  # an integer with hundreds of digits
        raise ConfigError(f"{key}: number too large") from None
    if not math.isfinite(number):
        raise ConfigError(f"{key}: expected a finite number, got {_shown(value)}")
    if number < 0:
        raise ConfigError(f"{key}: must not be negative, got {_shown(value)}")
    return number


def _numbers(value: Any, key: str, names: tuple[str, ...]) -> dict[str, float]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{key}: expected a mapping of names to numbers")
    out = {}
    for name, number in value.items():
        if name not in names:
            raise ConfigError(f"{key}: unknown name {_shown(name)} (known: {', '.join(names)})")
        out[name] = _number(number, f"{key}.{name}")
    return out


def _shown(value: Any) -> str:
    """A value as an error message quotes it: short, one line, whatever its size."""
    text = repr(value) if not isinstance(value, int) or abs(value) < 10**30 else "a huge number"
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass(frozen=True)
class Option:
    """One configuration key: its value's shape and what it means (for docs and the schema).

    Shapes: `names` a list of strings (a single string counts as a list of one), `bool`,
    `choice` one of `choices`, `severities` a mapping of rule ids or categories to severities,
    `verdict` the verdict policy mapping.
    """

    shape: str
    doc: str
    choices: tuple[str, ...] = ()


OPTIONS: Mapping[str, Option] = {
    "select": Option("names", "only these rule ids or categories (empty: all)"),
    "ignore": Option("names", "rule ids or categories to switch off"),
    "severity": Option("severities", "override severities by rule id or category"),
    "rules_dirs": Option("names", "your own rule folders, relative to this file"),
    "default_rules": Option("bool", "load the rules shipped with healthlint"),
    "allow": Option("names", "phrases never flagged (names, titles)"),
    "language": Option("choice", "message language", LANGUAGES),
    "fail_on": Option("choice", "lowest severity that makes the exit code 1", SEVERITIES),
    "profile": Option("choice", "what is linted: auto (decide per text), ad or article", PROFILES),
    "exclude": Option("names", "paths not to lint, gitignore patterns relative to this file"),
    "respect_gitignore": Option(
        "bool", "skip what .gitignore files ignore, inside a git work tree"
    ),
    "images": Option(
        "choice",
        "read pictures (image files and the local images a Markdown or HTML file shows): "
        "auto (when the images extra is installed), always or never",
        IMAGE_MODES,
    ),
    "inline_config": Option("bool", "honour <!-- healthlint-disable --> comments in the texts"),
    "verdict": Option("verdict", "weights and thresholds of --format report and batch verdicts"),
}


def _coerce(key: str, value: Any, line: int | None = None) -> Any:
    """One option's value checked against its declaration, lists turned into tuples (a Config
    is immutable); a wrong value raises a one-line `ConfigError` (path added by the caller)."""
    option = OPTIONS[key]
    if option.shape == "names":
        if isinstance(value, str):
            return (value,)
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise ConfigError(f"{key!r} must be a list of strings, got {_shown(value)}", line=line)
    if option.shape == "bool":
        if not isinstance(value, bool):
            raise ConfigError(f"{key!r} must be true or false, got {_shown(value)}", line=line)
        return value
    if option.shape == "choice":
        if not isinstance(value, str) or value not in option.choices:
            choices = " or ".join(option.choices)
            raise ConfigError(f"{key!r} must be {choices}, got {_shown(value)}", line=line)
        return value
    if option.shape == "severities":
        if not isinstance(value, Mapping):
            raise ConfigError(f"{key!r} must map rule ids or categories to severities", line=line)
        for name, level in value.items():
            if not isinstance(name, str):
                raise ConfigError(f"{key!r}: names must be text, got {_shown(name)}", line=line)
            if not isinstance(level, str) or level not in SEVERITIES:
                raise ConfigError(
                    f"severity of {name!r} must be error, warning or info, got {_shown(level)}",
                    line=key_line(value, name) or line,
                )
        return MappingProxyType(dict(value))
    if isinstance(value, VerdictPolicy):
        return value
    return VerdictPolicy.from_mapping(value, line=line)


@dataclass(frozen=True)
class Config:
    """What to lint and how. Every field has a default, so `Config()` is the stock setup; a
    value of the wrong type or out of range raises `ConfigError`, here as from a file."""

    select: tuple[str, ...] = ()  # rule ids or categories; empty means all
    ignore: tuple[str, ...] = ()  # rule ids or categories to switch off
    severity: Mapping[str, str] = field(default_factory=dict)  # rule id or category → severity
    rules_dirs: tuple[str, ...] = ()  # extra rule-pack folders, after the shipped ones
    default_rules: bool = True  # load the shipped packs
    allow: tuple[str, ...] = ()  # phrases never flagged (product names, quoted titles)
    language: str = "zh"  # message language: zh or en
    fail_on: str = "warning"  # lowest severity that makes the exit code 1
    profile: str = "auto"  # what is linted: auto (decide per text), ad or article
    exclude: tuple[str, ...] = ()  # gitignore patterns, relative to `base`
    respect_gitignore: bool = True  # skip what .gitignore ignores (inside a git work tree)
    inline_config: bool = True  # honour suppression comments in the linted texts
    images: str = "auto"  # read pictures: auto (when the extra is installed), always, never
    verdict: VerdictPolicy = field(default_factory=VerdictPolicy)  # see healthlint.verdict
    path: str | None = None  # the file this came from

    def __post_init__(self) -> None:
        for key in OPTIONS:
            object.__setattr__(self, key, _coerce(key, getattr(self, key)))
        if self.path is not None and not isinstance(self.path, str):
            object.__setattr__(self, "path", os.fspath(self.path))

    def __reduce__(self) -> tuple[Any, ...]:
        # The severity mapping is read-only (a MappingProxyType), which does not pickle.
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["severity"] = dict(self.severity)
        return (_rebuild, (values,))

    @property
    def base(self) -> Path:
        """The folder `exclude` patterns and `rules_dirs` are relative to: the config file's,
        else the current folder."""
        return Path(self.path).parent if self.path else Path.cwd()

    def with_options(self, **changes: Any) -> Config:
        """A copy with command-line options applied (None means: keep the file's value)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def settings(self) -> dict[str, Any]:
        """Every option's effective value as plain data (for `--show-config`)."""
        values: dict[str, Any] = {}
        for key in OPTIONS:
            value = getattr(self, key)
            if isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, VerdictPolicy):
                value = {
                    "weights": dict(value.weights),
                    "categories": dict(value.categories),
                    "review": value.review,
                    "reject": value.reject,
                }
            elif isinstance(value, Mapping):
                value = dict(value)
            values[key] = value
        return values

    @classmethod
    def from_mapping(
        cls, data: Any, *, path: str | None = None, lines: Mapping[str, int] | None = None
    ) -> Config:
        """Validate a parsed config; relative `rules_dirs` are relative to the config file.
        `lines` says where each key is written (YAML mappings know it themselves)."""
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise ConfigError("configuration must be a mapping of options", path=path, line=1)

        def at(key: Any) -> int | None:
            return (lines or {}).get(key) or key_line(data, key)

        unknown = sorted((k for k in data if k not in OPTIONS), key=str)
        if unknown:
            raise ConfigError(
                f"unknown option {_shown(unknown[0])} (known: {', '.join(sorted(OPTIONS))})",
                path=path,
                line=at(unknown[0]),
            )
        values: dict[str, Any] = {}
        for key, value in data.items():
            try:
                values[key] = _coerce(key, value, at(key))
            except ConfigError as exc:
                raise ConfigError(exc.message, path=path, line=exc.line or at(key)) from None
        base = Path(path).parent if path else Path.cwd()
        if "rules_dirs" in values:
            values["rules_dirs"] = tuple(str(base / d) for d in values["rules_dirs"])
        return cls(**values, path=path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Config:
        """Read a `.healthlint.yaml`, a TOML file with the options at its top level, or a
        `pyproject.toml` with a `[tool.healthlint]` table."""
        path = os.fspath(path)
        text = _read_config(path)
        if path.endswith(".toml"):
            table = ("tool", "healthlint") if Path(path).name == "pyproject.toml" else ()
            data, lines = _toml_table(text, path, table)
            return cls.from_mapping(data, path=path, lines=lines)
        return cls.from_mapping(load_yaml(text, path=path, error=ConfigError), path=path)

    @classmethod
    def discover(cls, start: str | os.PathLike[str] | None = None) -> Config:
        """The nearest config from `start` (a file's folder, or a folder; default: the current
        folder) upward, or the defaults when there is none."""
        found = find_config(start)
        return cls.load(found) if found else cls()


def _rebuild(values: dict[str, Any]) -> Config:
    return Config(**values)


def find_config(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The config file that applies to `start`, searching its folder and then each parent.

    A file that others may write (world-writable, or another user's in a world-writable folder
    such as /tmp) is refused rather than used: it could switch linting off for whoever runs
    healthlint below it (`--config` names a file explicitly, `--isolated` reads none)."""
    folder = Path(start or Path.cwd()).absolute()
    if not folder.is_dir():
        folder = folder.parent
    for directory in (folder, *folder.parents):
        candidates = [directory / name for name in CONFIG_NAMES]
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and "[tool.healthlint" in _head(pyproject):
            candidates.append(pyproject)
        for candidate in candidates:
            if candidate.is_file():
                _check_trusted(candidate)
                return candidate
    return None


def _check_trusted(path: Path) -> None:
    try:
        info, folder = path.stat(), path.parent.stat()
    except OSError:
        return  # reading it will say what is wrong
    uid = getattr(os, "getuid", lambda: None)()
    foreign = uid is not None and info.st_uid not in (uid, 0)
    if info.st_mode & stat.S_IWOTH or (foreign and folder.st_mode & stat.S_IWOTH):
        raise ConfigError(
            "refusing a config file that other users can write; fix its permissions, name it "
            "with --config, or use --isolated",
            path=str(path),
        )


def _read_config(path: str) -> str:
    from healthlint.sources.decode import read_bounded

    data = read_bounded(path, MAX_BYTES, error=ConfigError, what="config file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError("config is not UTF-8 text", path=path, column=exc.start + 1) from None


def _head(path: Path) -> str:
    """Enough of a pyproject.toml to see whether it has a [tool.healthlint] table."""
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return ""


def _toml_table(
    text: str, path: str, table: tuple[str, ...]
) -> tuple[dict[str, Any], dict[str, int]]:
    """The options table of a TOML config and the line each of its keys is written on."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        data: Any = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise ConfigError(
            f"invalid TOML: {exc}", path=path, line=int(line.group(1)) if line else None
        ) from None
    except RecursionError:
        raise ConfigError("invalid TOML: nested too deeply", path=path) from None
    for name in table:
        data = data.get(name, {}) if isinstance(data, dict) else {}
    if table and not data:
        raise ConfigError(f"no [{'.'.join(table)}] table", path=path)
    if not isinstance(data, dict):
        raise ConfigError(f"[{'.'.join(table)}] must be a table", path=path)
    return data, _toml_lines(text, table, data)


def _toml_lines(text: str, table: tuple[str, ...], data: Mapping[str, Any]) -> dict[str, int]:
    """Where each key of the options table is written: `key = …` inside the table, or its own
    `[table.key]` header. TOML parsers give no positions; errors should still name a line."""
    prefix = ".".join(table)
    inside = not table  # top-level options start at the first line
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        header = re.match(r"^\s*\[+\s*([^\]]+?)\s*\]+", line)
        if header:
            name = re.sub(r"[\"' ]", "", header.group(1))
            inside = name == prefix
            rest = name if not prefix else name.removeprefix(prefix + ".")
            if rest != name or not prefix:
                lines.setdefault(rest.split(".")[0], number)
            continue
        key = re.match(r"^\s*([A-Za-z0-9_-]+)\s*=", line)
        if inside and key and key.group(1) in data:
            lines.setdefault(key.group(1), number)
    return lines
