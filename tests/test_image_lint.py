"""Pictures linted as a person reads them: rendered posters against the same sentences as
text, findings placed on the drawn glyphs, QR codes, pictures a Markdown file shows, the
reports, and what a run without the images extra does.

The posters are drawn by tests/images/render.py (Noto Sans CJK), as in test_images.py.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from images import require_extra

from healthlint import Linter
from healthlint.frontends.cli import main
from healthlint.run import Configs, Linted, Overrides, Sessions, lint_paths

try:  # the renderer needs Pillow, which only the images extra brings
    from images import render
    from images.score import edit_distance
except ImportError:
    render = None  # type: ignore[assignment]

SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "sarif-2.1.0-subset.schema.json").read_text(encoding="utf-8")
)
#: A cold-medicine article: what the text says, and the dosing advice a picture in it carries.
ARTICLE = (
    "感冒了怎么办？很多人一感冒就想吃药。其实普通感冒是自限性疾病，多数一周左右会自己好。"
    "注意不要同时吃几种感冒药，因为很多复方感冒药都含有对乙酰氨基酚，叠加服用会增加肝损伤的风险。"
    "多喝水、多休息，清淡饮食，保持室内通风。老人和孩子症状加重时要格外留意。"
)
DOSES = (
    "发烧超过38.5℃可以服用布洛芬，",
    "成人每次200mg，每日不超过4次。",
    "鼻塞可用生理盐水冲洗鼻腔，每天2次。",
    "咳嗽有痰的可以吃化痰药，饭后服用。",
    "抗生素对感冒没有作用，不要自行服用。",
)
DISCLAIMER = "本文仅供科普参考，具体用药请遵医嘱。"


@pytest.fixture(scope="module", autouse=True)
def needs_extra() -> None:
    require_extra()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("posters")


@pytest.fixture(scope="module")
def scenes(folder: Path) -> dict[str, tuple[object, Path]]:
    """Every scene of the shared set, saved once."""
    return {s.name: (s, s.save(folder)) for s in render.scenes()}


def lint(paths: list[str], **overrides: object) -> list[Linted]:
    sessions = Sessions(Configs(isolated=True, overrides=Overrides(**overrides)))  # type: ignore[arg-type]
    results = list(lint_paths(sessions, paths))
    assert all(isinstance(r, Linted) for r in results), results
    return results  # type: ignore[return-value]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--isolated", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    yield tmp_path


def test_claims_in_pictures_are_found_as_in_text(linter: Linter, scenes) -> None:  # type: ignore[no-untyped-def]
    """At least 95 % of what the same sentences give as text, over the whole rendered set
    (measured: all of it); a misread character may change a finding's text by a little."""
    results = lint([str(path) for _, path in scenes.values()])
    wanted = found = 0
    misses = []
    for (scene, _), result in zip(scenes.values(), results, strict=True):
        text = "".join(line.text for line in scene.poster.lines)
        got = [(f.rule, f.text) for f in result.findings]
        for finding in linter.lint(text):
            wanted += 1
            if any(
                rule == finding.rule
                and edit_distance(flagged, finding.text) <= max(1, len(finding.text) // 5)
                for rule, flagged in got
            ):
                found += 1
            else:
                misses.append((scene.name, finding.rule, finding.text))
    assert wanted > 250
    assert found >= 0.95 * wanted, misses


def test_a_finding_is_placed_on_its_drawn_glyphs(scenes) -> None:  # type: ignore[no-untyped-def]
    for name in ("clean-24", "clean-48", "photo-32", "poster-plain"):
        scene, path = scenes[name]
        (result,) = lint([str(path)])
        placed = 0
        for f in result.findings:
            assert f.image is not None and f.image.path == str(path)
            assert f.image.line and f.text in f.image.line
            drawn = next((d for d in scene.poster.lines if f.text in d.text), None)
            if drawn is None:  # a finding over two drawn lines
                continue
            k = drawn.text.index(f.text)
            glyphs = [g for g in drawn.glyphs[k : k + len(f.text)] if g]
            left, top, right, bottom = f.image.box
            tolerance = drawn.size * 0.45  # under half a character (test_images.py)
            assert abs(left - glyphs[0][0]) <= tolerance, (name, f.text)
            assert abs(right - glyphs[-1][2]) <= tolerance, (name, f.text)
            assert top <= min(g[1] for g in glyphs) + 2 and bottom >= max(g[3] for g in glyphs) - 2
            placed += 1
        assert placed >= 3, name


def test_a_qr_code_is_a_commercial_contact_with_its_content(scenes) -> None:  # type: ignore[no-untyped-def]
    scene, path = scenes["poster-qr"]
    ((data, (left, top, right, bottom)),) = scene.poster.codes
    (result,) = lint([str(path)])
    (code,) = [f for f in result.findings if f.rule == "image-code"]
    assert code.category == "commercial-contact" and code.image is not None
    assert code.image.code == data and code.text == "" and code.image.line == ""
    x0, y0, x1, y1 = code.image.box
    assert left <= x0 < x1 <= right and top <= y0 < y1 <= bottom
    assert result.images[0].codes == 1
    # the prompt beside it is a finding of its own, on the text
    assert any(f.rule == "qr-contact" and "长按识别二维码" in f.text for f in result.findings)


def test_a_regulators_code_is_not_reported(folder: Path) -> None:
    canvas = render.Canvas(400, 400)
    canvas.qr("https://www.nmpa.gov.cn/datasearch/home-index.html", 40, 40, scale=6)
    path = folder / "nmpa.png"
    canvas.finish().image.save(path)
    (result,) = lint([str(path)])
    assert result.images[0].codes == 1 and result.findings == []


@pytest.mark.parametrize("kind", ["plain", "photo"])
def test_a_picture_with_no_text_gives_nothing(capsys, folder: Path, kind: str) -> None:
    path = folder / f"empty-{kind}.png"
    render.background(640, 480, kind, seed=3).save(path)
    code, out, err = run(capsys, "--format", "json", str(path))
    assert (code, json.loads(out), err) == (0, [], "")


def write_article(folder: Path, *, disclaimer: bool) -> Path:
    render.lines_poster(list(DOSES), 28).image.save(folder / "doses.png")
    tail = DISCLAIMER if disclaimer else ""
    path = folder / ("with.md" if disclaimer else "without.md")
    path.write_text(f"# 感冒用药\n\n{ARTICLE}\n\n![用药方法](doses.png)\n\n{tail}\n", "utf-8")
    return path


def test_a_picture_is_linted_with_the_article_that_shows_it(folder: Path) -> None:
    without = write_article(folder, disclaimer=False)
    with_ = write_article(folder, disclaimer=True)
    (alone,) = lint([str(without)], images="never")
    (read,) = lint([str(without)])
    (disclaimed,) = lint([str(with_)])
    # the advice is in the picture: without it the article needs no disclaimer
    assert not [f for f in alone.findings if f.rule == "missing-disclaimer"]
    (missing,) = [f for f in read.findings if f.rule == "missing-disclaimer"]
    assert missing.image is None or missing.image.path.endswith("doses.png")
    # the disclaimer in the text counts for the picture too
    assert not [f for f in disclaimed.findings if f.rule == "missing-disclaimer"]
    assert [i.path for i in read.images] == [os.path.join(str(folder), "doses.png")]
    assert read.text == without.read_text("utf-8")  # the findings' text stays the file's


def test_fix_changes_the_text_and_never_the_picture(in_tmp: Path, capsys) -> None:
    render.lines_poster(["扫码添加官方微信，领取免费体验装。"], 32).image.save("qr.png")
    before = Path("qr.png").read_bytes()
    Path("a.md").write_text("![](qr.png)\n\n扫码添加官方微信，了解更多。\n", "utf-8")
    code, out, _ = run(capsys, "--fix", "a.md")
    assert Path("qr.png").read_bytes() == before
    assert "扫码添加" not in Path("a.md").read_text("utf-8")
    assert code == 1 and "qr.png:1:1" in out  # the picture's finding stays reported


def test_reports_name_the_picture_and_the_box(in_tmp: Path, capsys, scenes) -> None:  # type: ignore[no-untyped-def]
    _, path = scenes["poster-qr"]
    Path("poster.png").write_bytes(path.read_bytes())
    code, out, _ = run(capsys, "poster.png")
    assert code == 1
    assert "图片区域 (" in out and "像素" in out
    assert "图片中的码 (" in out and "https://u.wechat.com/" in out
    code, out, _ = run(capsys, "--format", "sarif", "poster.png")
    log = json.loads(out)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    results = log["runs"][0]["results"]
    region = results[0]["locations"][0]["physicalLocation"]["region"]
    assert region["message"]["text"].startswith("picture area (")
    assert results[0]["properties"]["box"]
    (code_result,) = [r for r in results if r["ruleId"] == "image-code"]
    assert code_result["properties"]["code"].startswith("https://u.wechat.com/")
    code, out, _ = run(capsys, "--format", "github", "poster.png")
    assert "file=poster.png,line=" in out


def test_unsure_lines_are_counted_and_said(in_tmp: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from healthlint.images import ImageReader, document

    render.lines_poster(list(render.SENTENCES[:4]), 24, "photo", seed=1).image.save("p.png")
    monkeypatch.setattr(document, "_shared", (os.getpid(), ImageReader(min_confidence=0.9999)))
    _, out, _ = run(capsys, "--format", "report", "p.png")
    (image,) = json.loads(out)[0]["images"]
    assert image["low_confidence"] > 0 and image["min_confidence"] == 0.9999
    _, out, _ = run(capsys, "p.png")
    assert f"p.png：{image['low_confidence']} 行文字识别置信度低于 0.9999，未检查。" in out
    _code, out, _ = run(capsys, "--format", "sarif", "p.png")
    notes = json.loads(out)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any("confidence below 0.9999" in n["message"]["text"] for n in notes)


def test_images_never_leaves_pictures_out(in_tmp: Path, capsys) -> None:
    render.lines_poster(["彻底治愈糖尿病！"], 32).image.save("p.png")
    code, _, err = run(capsys, "--images", "never", ".")
    assert code == 2 and "nothing was linted" in err
    code, out, _ = run(capsys, "--images", "never", "--show-files", ".")
    assert "p.png" not in out
    code, out, _ = run(capsys, "--show-files", ".")
    assert "p.png" in out


def test_without_the_extra(in_tmp: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Folders and documents lint as before; a picture named is an error saying what to
    install, and the rest of the run goes on."""
    from healthlint.images import reader

    render.lines_poster(["彻底治愈糖尿病！"], 32).image.save("p.png")
    Path("a.md").write_text("![](p.png)\n\n多喝水。\n", "utf-8")
    monkeypatch.setattr(reader, "extra_installed", lambda: False)
    monkeypatch.setattr("healthlint.images.document._shared", None)  # none built yet
    code, out, err = run(capsys, ".")
    assert code == 0 and "p.png" not in out
    code, out, err = run(capsys, "p.png", "a.md")
    assert code == 2
    assert err.strip() == "p.png: " + reader.INSTALL_HINT
    code, out, err = run(capsys, "--images", "always", "a.md")
    assert code == 2 and reader.INSTALL_HINT in err
