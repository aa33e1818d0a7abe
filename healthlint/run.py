"""One lint run over many inputs: configs found, files read, linted, fixed, and each result
handed to a front end.

The command line, batch runs and the servers lint through a `Session`, so everywhere a rule
whose regex runs out of time is reported once and then left out for the rest of the run, inline
directives are honoured (or, for a platform, ignored) and reviewed the same way, and fixes are
applied and re-linted the same way. Each path given is linted with the configuration nearest to
it (`Configs`), the command line's options on top. Past `POOL_THRESHOLD` files the work goes to
the process pool behind `Linter.lint_many`. Nothing here prints: problems come back as
`HealthlintError` values, in input order, for the front end to show.
"""

from __future__ import annotations

import functools
import itertools
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from healthlint.config import Config, find_config
from healthlint.context import register, suppression
from healthlint.engine import Linter
from healthlint.errors import HealthlintError, InputError, RuleTimeoutError, UsageError
from healthlint.finding import Finding, ImageSummary, Result, RuleInfo
from healthlint.sources.files import DEFAULT_EXTENSIONS, IMAGE_EXTENSIONS, Ignores, is_image

if TYPE_CHECKING:
    from healthlint.images.document import Page

#: More files than this are linted by the process pool (one core lints about 600 a second;
#: starting workers costs about a tenth of a second each).
POOL_THRESHOLD = 2000
#: What an image counts for against `POOL_THRESHOLD`: reading one takes about as long as
#: linting this many texts (bench/images.py), so ten images are worth a pool.
IMAGE_WEIGHT = 200


@dataclass(frozen=True)
class Overrides:
    """What the command line puts on top of every configuration file: `select` replaces the
    file's; `ignore` and `exclude` add to it (`exclude` relative to the current folder); None
    keeps the file's value."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    language: str | None = None
    fail_on: str | None = None
    respect_gitignore: bool | None = None
    inline_config: bool | None = None
    images: str | None = None

    def apply(self, config: Config) -> Config:
        return config.with_options(
            select=self.select,
            ignore=(*config.ignore, *self.ignore) if self.ignore else None,
            language=self.language,
            fail_on=self.fail_on,
            respect_gitignore=self.respect_gitignore,
            inline_config=self.inline_config,
            images=self.images,
        )


class Configs:
    """The configuration for each linted path: `explicit` (`--config FILE`) for all of them,
    none with `isolated`, else the file nearest to the path; each file read once a run."""

    def __init__(
        self,
        explicit: str | os.PathLike[str] | None = None,
        *,
        isolated: bool = False,
        overrides: Overrides | None = None,
    ) -> None:
        if explicit is not None and isolated:
            raise UsageError("--isolated reads no config file; it cannot be combined with --config")
        self.explicit = None if explicit is None else os.fspath(explicit)
        self.isolated = isolated
        self.overrides = overrides or Overrides()
        self._loaded: dict[str | None, Config] = {}

    def source(self, path: str | os.PathLike[str] | None = None) -> str | None:
        """The config file that applies to `path` (default: the current folder), or None."""
        if self.explicit is not None or self.isolated:
            return self.explicit
        found = find_config(path)
        return None if found is None else str(found)

    def for_path(self, path: str | os.PathLike[str] | None = None) -> Config:
        name = self.source(path)
        if name not in self._loaded:
            config = Config.load(name) if name else Config()
            self._loaded[name] = self.overrides.apply(config)
        return self._loaded[name]


def load_config(path: str | os.PathLike[str] | None = None, **options: Any) -> Config:
    """`--config FILE`, else the configuration discovered from the current folder, with
    `options` (None values are ignored) applied on top."""
    config = Config.load(path) if path else Config.discover()
    return config.with_options(**options) if options else config


def load_linter(
    config_path: str | os.PathLike[str] | None = None,
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    **options: Any,
) -> Linter:
    """A Linter for `load_config(config_path, **options)`."""
    return Linter(load_config(config_path, **options), cache_dir=cache_dir)


@dataclass(frozen=True)
class Linted:
    """One input's result: `text` is what the findings point into (the fixed text once a fix
    was written), `fixed` how many fixes were applied, `diff` the fixes as a unified diff, and
    `fail_on` the file's configured threshold."""

    name: str
    text: str
    findings: list[Finding]
    fixed: int = 0
    diff: str = ""
    fail_on: str = "warning"  # the lowest failing severity of the file's configuration
    register: str = "unmarked"  # of the text as linted (`Result.register`)
    product_types: tuple[str, ...] = ()
    images: tuple[ImageSummary, ...] = ()  # what was read from the pictures linted with it


class Session:
    """A Linter for one run, and what the run learns: a rule that runs out of time on one text
    is dropped for every later one, so a pathological pattern cannot stall a whole folder."""

    def __init__(
        self,
        config: Config,
        *,
        cache_dir: str | os.PathLike[str] | None = None,
        exclude: Sequence[str] = (),
    ) -> None:
        self.cache_dir = None if cache_dir is None else Path(cache_dir)
        self.config = config
        self.linter = Linter(config, cache_dir=self.cache_dir)
        self.exclude = tuple(exclude)  # the command line's, relative to the current folder

    @functools.cached_property
    def reads_images(self) -> bool:
        """Whether this session's run reads pictures (`reads_images`), asked once."""
        return reads_images(self.config)

    @property
    def rules(self) -> tuple[RuleInfo, ...]:
        """The active rules, and the notices about directives when directives are honoured."""
        notices = suppression.rules(self.config.language) if self.config.inline_config else ()
        return (*self.linter.rules, *notices)

    @property
    def ignores(self) -> Ignores:
        """What discovery leaves out: the config file's excludes (relative to it), then the
        command line's, and .gitignore unless switched off."""
        config = self.config
        layers = [(config.base, config.exclude), (Path.cwd(), self.exclude)]
        return Ignores(layers, gitignore=config.respect_gitignore)

    def lint(
        self, text: str, *, format: str, name: str
    ) -> tuple[list[Finding], list[HealthlintError]]:
        """The findings in `text`, and the time-outs met on it (each naming `name`)."""
        result, problems = self.check(text, format=format, name=name)
        return result.findings, problems

    def check(self, text: str, *, format: str, name: str) -> tuple[Result, list[HealthlintError]]:
        """`Linter.check` on `text`, and the time-outs met on it (each naming `name`). After a
        time-out the text's register is not known: it is given as unmarked, selling nothing."""
        try:
            return self.linter.check(text, format=format), []
        except RuleTimeoutError as exc:
            self.config = self.config.with_options(ignore=(*self.config.ignore, *exc.rules))
            self.linter = Linter(self.config, cache_dir=self.cache_dir)
            problems: list[HealthlintError] = [
                type(e)(
                    f"{e.message} (on {name}; rule skipped from here on)", path=e.path, line=e.line
                )
                for e in exc.errors
            ]
            return Result(exc.findings, register.UNMARKED, (), ()), problems


class Sessions:
    """A `Session` per configuration a run meets, built on first use; `Configs` says which
    configuration each path gets, so a Session is keyed by its config file (None: defaults)."""

    def __init__(
        self,
        configs: Configs,
        *,
        cache_dir: str | os.PathLike[str] | None = None,
        exclude: Sequence[str] = (),
    ) -> None:
        self.configs = configs
        self.cache_dir = cache_dir
        self.exclude = tuple(exclude)
        self._sessions: dict[str | None, Session] = {}

    def __getstate__(self) -> dict[str, Any]:  # a pool worker builds its own Linters
        return {**self.__dict__, "_sessions": {}}

    def for_config(self, config: Config) -> Session:
        if config.path not in self._sessions:
            self._sessions[config.path] = Session(
                config, cache_dir=self.cache_dir, exclude=self.exclude
            )
        return self._sessions[config.path]

    def for_path(self, path: str | os.PathLike[str] | None = None) -> Session:
        return self.for_config(self.configs.for_path(path))

    def rules(self) -> tuple[RuleInfo, ...]:
        """Every rule of every Session so far, each id once."""
        seen: dict[str, RuleInfo] = {}
        for session in self._sessions.values():
            for rule in session.rules:
                seen.setdefault(rule.id, rule)
        return tuple(seen.values())


@dataclass
class Tally:
    """What a run went through, for the front end's summary: files linted, files named on the
    command line that an exclude left out, fixes applied."""

    linted: int = 0
    excluded: list[str] = field(default_factory=list)
    fixes: int = 0
    fixed_files: int = 0


@dataclass(frozen=True)
class Reading:
    """How to read and fix each input (the command line's options)."""

    stdin_name: str | None = None
    encoding: str | None = None
    input_format: str | None = None
    fix: str | None = None  # None, "write" or "diff"


def lint_paths(
    sessions: Sessions,
    paths: Sequence[str],
    reading: Reading = Reading(),
    *,
    tally: Tally | None = None,
    jobs: int | None = None,
) -> Iterator[Linted | HealthlintError]:
    """Lint files, folders and `-` (standard input) in order; every problem is yielded as an
    error value and the run goes on. `reading.fix` is None, "write" (apply the rules' fixes to
    the files, then lint what is left) or "diff" (compute the fixes, write nothing). `jobs`
    caps the pool used past `POOL_THRESHOLD` files, an image counting `IMAGE_WEIGHT` (default:
    every core; 1: no pool)."""
    tally = tally if tally is not None else Tally()
    items = _inputs(sessions, paths, tally, reading.stdin_name)
    head: list[_Item] = []
    weight = 0
    for item in items:
        head.append(item)
        weight += IMAGE_WEIGHT if not isinstance(item, HealthlintError) and is_image(item[1]) else 1
        if weight > POOL_THRESHOLD:
            break
    work = itertools.chain(head, items)
    job = (sessions, reading)
    if weight > POOL_THRESHOLD and jobs != 1 and "-" not in paths and not _engine_loaded():
        from healthlint.parallel import ordered_map

        results: Iterable[list[Linted | HealthlintError]] = ordered_map(_lint, job, work, jobs)
    else:
        results = (_lint(job, item) for item in work)
    for batch in results:
        for result in batch:
            if isinstance(result, Linted):
                tally.linted += 1
                tally.fixes += result.fixed
                tally.fixed_files += bool(result.fixed)
            yield result


def _engine_loaded() -> bool:
    """Whether this process already runs an OCR engine: a forked worker's copy of it would
    hang (ONNX Runtime's threads do not survive a fork), so such a process lints alone."""
    import sys

    document = sys.modules.get("healthlint.images.document")  # never imported: nothing read
    return document is not None and document.engine_loaded()


def list_inputs(sessions: Sessions, paths: Sequence[str]) -> Iterator[str | HealthlintError]:
    """What `lint_paths` would lint, without reading anything (`--show-files`)."""
    for item in _inputs(sessions, paths, Tally()):
        yield item if isinstance(item, HealthlintError) else item[1]


def reads_images(config: Config) -> bool:
    """Whether a run with `config` reads pictures: `images: always`, or `auto` with the
    images extra installed (found without importing it)."""
    if config.images == "auto":
        from healthlint.images.reader import extra_installed

        return extra_installed()
    return config.images == "always"


#: One unit of work: an error found while listing, or (config, path or "-").
_Item = tuple[Config, str] | HealthlintError


def _inputs(
    sessions: Sessions, paths: Sequence[str], tally: Tally, stdin_name: str | None = None
) -> Iterator[_Item]:
    """Standard input as "-", files in order, each with its configuration; errors as values so
    the run goes on. One discovery walks every path, so a file named twice or reached twice is
    linted once. Folders give up their pictures only to a run that reads images; a picture
    named with `images: never` is left out like an excluded file."""
    from healthlint.sources.files import Discovery

    discovery = Discovery()
    for path in paths:
        try:
            where = Path(stdin_name or "-").parent if path == "-" else path
            session = sessions.for_path(where)
        except HealthlintError as exc:
            yield exc
            continue
        if path == "-":
            yield (session.config, "-")
            continue
        ignores = session.ignores
        pictures = session.reads_images
        extensions = (*DEFAULT_EXTENSIONS, *IMAGE_EXTENSIONS) if pictures else DEFAULT_EXTENSIONS
        for found in discovery.walk(path, ignores, extensions=extensions):
            if isinstance(found, HealthlintError):
                yield found
            elif is_image(found) and session.config.images == "never":
                tally.excluded.append(str(found))
            else:
                yield (session.config, str(found))
        tally.excluded += ignores.left_out


def _lint(job: tuple[Sessions, Reading], item: _Item) -> list[Linted | HealthlintError]:
    """Read, lint and fix one input (a module-level function, so pool workers unpickle it)."""
    if isinstance(item, HealthlintError):
        return [item]
    sessions, reading = job
    config, path = item
    try:
        return _lint_one(sessions.for_config(config), path, reading)
    except HealthlintError as exc:
        return [exc]


def _lint_one(session: Session, path: str, reading: Reading) -> list[Linted | HealthlintError]:
    from healthlint.sources.decode import read_source, read_stdin
    from healthlint.sources.files import input_format

    if path != "-" and reading.input_format is None and is_image(path):
        return _lint_picture(session, path)
    name = (reading.stdin_name or "-") if path == "-" else path
    if path == "-":
        source = read_stdin(name=name, encoding=reading.encoding)
    else:
        source = read_source(path, encoding=reading.encoding)
    fmt = input_format(name, reading.input_format)
    pages, problems = _shown_pages(session, source.text, fmt, path)
    result, more = _check(session, source.text, fmt, name, pages)
    problems += more
    kind = {
        "register": result.register,
        "product_types": result.product_types,
        "images": tuple(p.summary() for p in pages),
    }
    if reading.fix is None:
        linted = Linted(name, source.text, result.findings, fail_on=session.config.fail_on, **kind)
        return [*problems, linted]
    fixed = _fixed(session, source, name, fmt, result.findings, reading.fix, kind, pages)
    return [*problems, *fixed]


def _lint_picture(session: Session, path: str) -> list[Linted | HealthlintError]:
    """An image file on its own: its recognised text linted as plain text, and its codes."""
    page = _read_page(path)
    result, problems = _check(session, "", "text", path, [page])
    linted = Linted(
        path,
        page.text,
        result.findings,
        fail_on=session.config.fail_on,
        register=result.register,
        product_types=result.product_types,
        images=(page.summary(),),
    )
    return [*problems, linted]


def _read_page(path: str) -> Page:
    """One picture read by the process's image reader; a missing extra is this input's
    error (with how to install it), so the rest of the run goes on."""
    from healthlint.images.document import Page, shared_reader

    try:
        return Page.read(shared_reader(), path)
    except UsageError as exc:
        raise InputError(exc.message, path=path) from None


def _shown_pages(
    session: Session, text: str, fmt: str, path: str
) -> tuple[list[Page], list[HealthlintError]]:
    """The local pictures a Markdown or HTML file shows, read, when the run reads images;
    a picture that cannot be read is an error of its own and the document is linted without
    it."""
    if path == "-" or fmt not in ("markdown", "html") or not session.reads_images:
        return [], []
    from healthlint.document.embeds import image_addresses
    from healthlint.images.document import local_images

    pages: list[Page] = []
    problems: list[HealthlintError] = []
    for image in local_images(image_addresses(text, fmt), path):
        try:
            pages.append(_read_page(image))
        except HealthlintError as exc:
            problems.append(exc)
    return pages, problems


def _check(
    session: Session, text: str, fmt: str, name: str, pages: Sequence[Page]
) -> tuple[Result, list[HealthlintError]]:
    """`Session.check` on `text` and the pictures it shows, linted as one text: findings in
    a picture point at its pixels, and each scannable code in a picture is checked too."""
    if not pages:
        return session.check(text, format=fmt, name=name)
    from healthlint.images.document import Combined

    combined = Combined(text, tuple(pages))
    result, problems = session.check(combined.text, format=fmt, name=name)
    findings = combined.relocate(result.findings)
    for page in pages:
        for code in page.image.codes:
            found = session.linter.code_findings(code.kind, code.data)
            findings += [page.on_code(f, code) for f in found]
    return replace(result, findings=findings), problems


def _fixed(
    session: Session,
    source: Any,
    name: str,
    fmt: str,
    findings: list[Finding],
    mode: str,
    kind: dict[str, Any],
    pages: Sequence[Page],
) -> list[Linted | HealthlintError]:
    """Apply the rules' fixes (to the document's own text: a picture is never changed):
    write them and lint what is left, or only show them."""
    from healthlint.results import fix as fixing

    text, fail_on = source.text, session.config.fail_on
    fixes = fixing.fixes_of(session.linter.rules)
    own = [f for f in findings if f.image is None]
    new_text, applied = fixing.apply_fixes(text, own, fixes, format=fmt)
    if not applied:
        return [Linted(name, text, findings, fail_on=fail_on, **kind)]
    if mode == "diff":
        diff = fixing.unified_diff(name, text, new_text)
        return [Linted(name, text, findings, len(applied), diff, fail_on, **kind)]
    fixing.write_fixed(source, new_text)
    result, problems = _check(session, new_text, fmt, name, pages)
    kind = {**kind, "register": result.register, "product_types": result.product_types}
    return [
        *problems,
        Linted(name, new_text, result.findings, len(applied), fail_on=fail_on, **kind),
    ]
