"""Build the generated word lists in rules/vocabularies/ from jieba's dictionary.

The claim rules match a predicate from one list with an object from another in one clause.
Their object lists must reach wording nobody on the team has seen, so the large ones are not
typed in but selected from a licensed word list (jieba 0.42.1's dict.txt, MIT) by morphology:
a disease name ends in a disease morpheme (病, 炎, 癌, 综合征 …) and is a noun; a symptom is
a body part followed by a complaint (头 + 痛, 腰 + 酸). The selection is reviewed through
short stop lists with a reason per entry, and topped up from short hand lists that name
their source, all in scripts/vocabularies/.

The output is deterministic: the same dictionary gives the same bytes, so a test can rebuild
the files into a temporary directory and compare. The dictionary's SHA-256 is checked first,
because another jieba release would silently change the lists.

    python scripts/build_vocabularies.py            # rewrite the generated files
    python scripts/build_vocabularies.py --check    # exit 1 if they are out of date
    python scripts/build_vocabularies.py --sort rules/vocabularies/foo.txt   # tidy a hand list
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "scripts" / "vocabularies"
OUT = ROOT / "rules" / "vocabularies"
THUOCL_VENDORED = DATA / "thuocl-medical.txt"

JIEBA_VERSION = "0.42.1"
JIEBA_DICT_SHA256 = "7197c3211ddd98962b036cdf40324d1ea2bfaa12bd028e68faa70111a88e12a8"
JIEBA_SOURCE = f"jieba {JIEBA_VERSION} dict.txt (MIT licence, https://github.com/fxsjy/jieba)"

# THUOCL (清华大学开放中文词库, MIT licence): its medical list is a hand-filtered domain list,
# so it reaches clinical names jieba lacks (多囊卵巢综合征, 肠易激综合征). Only the lines
# whose word ends in a character some morpheme below ends in are vendored, with the licence,
# in scripts/vocabularies/thuocl-medical.txt; --import-thuocl rewrites that file.
THUOCL_REPO = "https://github.com/thunlp/THUOCL"
THUOCL_COMMIT = "a30ce79d895d01ab5132a5c74c29703ff7efb4cc"
THUOCL_MEDICAL_SHA256 = "a01f39f1677af0b6a620bbc68bf293e8e436f06248b74adb625cd61d9ad7bbcd"
THUOCL_SOURCE = (
    f"THUOCL_medical.txt of THUOCL 清华大学开放中文词库 (MIT licence, {THUOCL_REPO} "
    f"at {THUOCL_COMMIT[:12]}), as vendored in scripts/vocabularies/thuocl-medical.txt"
)
REBUILD = "python scripts/build_vocabularies.py"

HEADER_KEYS = ("name", "what", "source", "licence", "rebuild")


def _words(text: str) -> tuple[str, ...]:
    """Split a space-separated morpheme table; keeps long tables readable."""
    return tuple(text.split())


# --- diseases -----------------------------------------------------------------------------

# Disease morphemes accepted on jieba nouns (n, nz). The first row is the classic set; the
# second adds morphemes that name a disease on their own in clinical Chinese (疣 wart,
# 疽 gangrene/carbuncle, 痫 epilepsy, 疸 jaundice, 疟 malaria, 痢 dysentery, 瘘 fistula,
# 痈 carbuncle, 疳 TCM malnutrition/chancre, 痨 consumption, 痘 pox/acne) and multi-character
# findings that are diagnoses (水肿 oedema, 坏死 necrosis, 梗阻 obstruction …). Bare 肿, 热,
# 伤, 斑, 风, 障 and 疾 were tried and rejected: in jieba's nouns they mostly make ordinary
# words (哭肿, 余热, 中伤, 光斑, 作风, 故障, 力疾).
DISEASE_SUFFIXES = _words(
    "病 炎 癌 症 瘤 综合征 综合症 结石 衰竭 中毒 溃疡 增生 结节 息肉 硬化 梗死 梗塞 栓塞 "
    "出血 囊肿 畸形 障碍 疹 癣 疮 痔 瘫 痹 "
    "疣 疽 痫 疸 疟 痢 瘘 痈 疳 痨 痘 结核 水肿 脓肿 气肿 血肿 积水 坏死 穿孔 梗阻 痉挛 萎缩 "
    "内障 感染 损伤"
)

# jieba tags many technical terms l (习用语), i (idiom) or v/vn, and many idioms end in 病 or
# 疮 (剜肉补疮, 多愁多病), so those tags are accepted only with the clinical morphemes below,
# which do not occur at the end of idioms.
CLINICAL_SUFFIXES = _words(
    "症 瘤 炎 综合征 综合症 结石 衰竭 中毒 溃疡 增生 结节 息肉 硬化 梗死 梗塞 栓塞 出血 "
    "囊肿 畸形 疹 癣 痔 结核 水肿 脓肿 气肿 积水 坏死 穿孔 梗阻 痉挛"
)

NOUN_TAGS = frozenset({"n", "nz"})
WIDE_TAGS = NOUN_TAGS | {"thuocl"}  # THUOCL's medical list is a domain list: all its words
OTHER_TAGS = frozenset({"l", "i", "v", "vn"})
# nr, nrt, nrfg (person names: 司马炎, 于建炎), ns (places) and nt (organisations) are never
# taken; the few disease names jieba mis-tags nr are listed in diseases-nr-keep.txt.

# An efficacy or cause morpheme glued to a disease word makes a claim, not a name: 抗癌,
# 防痨, 致癌, 消水肿, 治肿瘤. Such words are dropped when the rest is a disease word.
CLAIM_PREFIXES = frozenset("抗防治除祛消戒致忌")

MIN_LEN, MAX_LEN = 2, 8


THUOCL_TAG = "thuocl"  # THUOCL has no part of speech; its entries carry this tag instead


@dataclass(frozen=True)
class Entry:
    """One word of a source list: jieba's (word, freq, part of speech) or THUOCL's (word, DF)."""

    word: str
    freq: int
    tag: str


def jieba_dict_path() -> Path:
    """Locate dict.txt inside the installed jieba package (no network, no cache)."""
    import jieba

    return Path(jieba.__file__).resolve().parent / "dict.txt"


def load_jieba(path: Path) -> list[Entry]:
    """Read dict.txt after checking its hash, so a different jieba fails loudly."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != JIEBA_DICT_SHA256:
        raise SystemExit(
            f"{path}: SHA-256 {digest} is not jieba {JIEBA_VERSION}'s dict.txt; "
            "the generated lists would change. Install jieba==" + JIEBA_VERSION
        )
    entries = []
    for line in data.decode("utf-8").splitlines():
        word, freq, tag = line.split()
        entries.append(Entry(word, int(freq), tag))
    return entries


def load_thuocl(path: Path) -> list[Entry]:
    """Read the vendored THUOCL subset: `word<TAB>DF` lines after a `#` licence header."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, df = line.split("\t")
            entries.append(Entry(word.strip(), int(df), THUOCL_TAG))
    return entries


def vendor_final_chars() -> frozenset[str]:
    """Characters a selecting morpheme ends in; THUOCL words ending in one are vendored."""
    return frozenset(m[-1] for m in (*DISEASE_SUFFIXES, *COMPLAINTS))


def import_thuocl(upstream: Path, target: Path) -> int:
    """Write the vendored subset of an upstream THUOCL_medical.txt (hash-checked)."""
    data = upstream.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != THUOCL_MEDICAL_SHA256:
        raise SystemExit(f"{upstream}: SHA-256 {digest} is not the expected THUOCL_medical.txt")
    finals = vendor_final_chars()
    kept = []
    for line in data.decode("utf-8").splitlines():
        word, df = (part.strip() for part in line.split("\t"))
        if word and word[-1] in finals:
            kept.append(f"{word}\t{df}")
    header = [
        f"# THUOCL_medical.txt, {THUOCL_REPO} at commit {THUOCL_COMMIT}",
        f"# (upstream file SHA-256 {THUOCL_MEDICAL_SHA256}), lines whose word ends in one of",
        "# " + "".join(sorted(finals)),
        "# in upstream order. Rewrite with: python scripts/build_vocabularies.py "
        "--import-thuocl THUOCL_medical.txt",
        "#",
        "# MIT License",
        "#",
        "# Copyright (c) 2018 THUNLP",
        "#",
        *(f"# {ln}" if ln else "#" for ln in MIT_TEXT.splitlines()),
    ]
    target.write_text("\n".join([*header, *kept]) + "\n", encoding="utf-8")
    return len(kept)


MIT_TEXT = """Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE."""


def read_terms(path: Path) -> list[str]:
    """Terms of a script input list: one per line, `#` starts a comment (a reason)."""
    terms = []
    for line in path.read_text(encoding="utf-8").splitlines():
        term = line.split("#", 1)[0].strip()
        if term:
            terms.append(term)
    return terms


def read_header(path: Path) -> list[str]:
    """The leading `#` lines of an input list, kept for provenance in the output header."""
    header = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    return header


class Simplifier:
    """OpenCC t2s plus a check that the result is plain simplified Chinese.

    jieba's dictionary holds some traditional and variant spellings (風溼病, 痳病, 小兒痲痹).
    t2s folds the traditional ones; variant characters it leaves alone (痲, 痳, 瘜) fall outside
    GB 2312, and a word containing one is dropped: its standard spelling is in the dictionary
    too, and the matcher would never see the variant after normalising.
    """

    def __init__(self) -> None:
        import opencc

        self._cc = opencc.OpenCC("t2s")

    def __call__(self, word: str) -> str | None:
        simple = self._cc.convert(word)
        try:
            simple.encode("gb2312")
        except UnicodeEncodeError:
            return None
        return simple


def _ends_with_any(word: str, suffixes: Iterable[str]) -> bool:
    return any(word.endswith(s) and word != s for s in suffixes)


def disease_candidates(entries: Iterable[Entry]) -> set[str]:
    """jieba words that look like disease names by tag and final morpheme (before review)."""
    found = set()
    finals = frozenset(m[-1] for m in DISEASE_SUFFIXES)
    for e in entries:
        if e.word[-1] not in finals or not MIN_LEN <= len(e.word) <= MAX_LEN:
            continue
        if (e.tag in WIDE_TAGS and _ends_with_any(e.word, DISEASE_SUFFIXES)) or (
            e.tag in OTHER_TAGS and _ends_with_any(e.word, CLINICAL_SUFFIXES)
        ):
            found.add(e.word)
    return found


def drop_claim_compounds(words: set[str], known: set[str]) -> set[str]:
    """Remove 抗癌-type words: a claim morpheme followed by a disease word or bare morpheme."""
    bare = set(DISEASE_SUFFIXES)
    return {w for w in words if not (w[0] in CLAIM_PREFIXES and (w[1:] in known or w[1:] in bare))}


def build_diseases(
    entries: Sequence[Entry],
    simplify: Simplifier,
    stop: Iterable[str],
    keep: Iterable[str],
    extra: Iterable[str],
) -> list[str]:
    """Disease names: jieba candidates minus the stop list, plus the reviewed keep and extra
    lists. Stop entries are matched after simplification, so they are written simplified."""
    words = set()
    for w in disease_candidates(entries):
        s = simplify(w)
        if s is not None:
            words.add(s)
    words |= set(keep)
    words = drop_claim_compounds(words, words | set(extra))
    words -= set(stop)
    words |= set(extra)
    return sorted(words)


# --- symptoms -------------------------------------------------------------------------------

# A symptom here is a body part followed by a complaint: 头痛, 腰酸, 眼干, 腹胀, 耳鸣. The
# body parts come from scripts/vocabularies/body-parts.txt, the complaints below. Up to two
# such pairs may follow each other (腰酸背痛, 头昏脑胀), which is how Chinese names a pair of
# complaints. Any jieba tag is accepted except names, places and organisations, because
# jieba tags these words n, v, a, l or i quite arbitrarily; the shape is what is checked.
COMPLAINTS = _words(
    "痛 疼 疼痛 酸 酸痛 酸胀 酸软 胀 胀痛 胀满 肿 肿痛 肿胀 麻 麻木 发麻 痒 瘙痒 晕 昏 "
    "闷 鸣 干 干涩 干燥 涩 燥 冷 凉 冰凉 发冷 发凉 无力 乏力 发软 软 沉 僵 僵硬 抽筋 "
    "热 发热 发烫 灼热 刺痛 绞痛 隐痛 不适 出血 流血 红肿 疲劳 发黄 发黑 发紫 痉挛"
)
SYMPTOM_EXCLUDED_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nt"})
# THUOCL's medical list also names complaints whose first part is not a body part (偏头痛,
# 神经痛, 灼痛, 眩晕, 喘鸣): there, any word ending in one of these is taken. Drugs and
# treatments ending in them (扑热息痛, 止痛) go through the claim-prefix rule or the stop list.
THUOCL_SYMPTOM_SUFFIXES = _words("痛 痒 胀 晕 鸣 闷 麻木 乏力 无力")


# 止痛, 镇痛, 消肿, 解热 are treatments, not complaints.
SYMPTOM_CLAIM_PREFIXES = frozenset("止镇消解退治抗防")


def _is_symptom_shape(word: str, parts: frozenset[str], complaints: frozenset[str]) -> bool:
    """True if word is (part complaint) or (part complaint part complaint)."""

    def pairs(rest: str, depth: int) -> bool:
        if not rest:
            return depth > 0
        if depth == 2:
            return False
        for i in range(1, len(rest)):
            if rest[:i] in parts:
                tail = rest[i:]
                for j in range(1, len(tail) + 1):
                    if tail[:j] in complaints and pairs(tail[j:], depth + 1):
                        return True
        return False

    return pairs(word, 0)


def build_symptoms(
    entries: Sequence[Entry],
    simplify: Simplifier,
    parts: Iterable[str],
    stop: Iterable[str],
    extra: Iterable[str],
) -> list[str]:
    """Symptoms: jieba words of the body-part + complaint shape, minus the stop list, plus the
    hand list of complaints that have another shape (失眠, 便秘, 盗汗)."""
    part_set = frozenset(parts)
    complaint_set = frozenset(COMPLAINTS)
    words = set()
    for e in entries:
        if e.tag in SYMPTOM_EXCLUDED_TAGS or not MIN_LEN <= len(e.word) <= MAX_LEN:
            continue
        s = simplify(e.word)
        if s is None:
            continue
        if _is_symptom_shape(s, part_set, complaint_set) or (
            e.tag == THUOCL_TAG and _ends_with_any(s, THUOCL_SYMPTOM_SUFFIXES)
        ):
            words.add(s)
    words = {w for w in words if w[0] not in SYMPTOM_CLAIM_PREFIXES}
    words -= set(stop)
    words |= set(extra)
    return sorted(words)


# --- output ---------------------------------------------------------------------------------


def render(header: dict[str, str], terms: Sequence[str], notes: Sequence[str] = ()) -> str:
    """The fixed file format: `# key: value` header lines, optional `#` notes, then the terms
    sorted by code point, one per line, LF endings, no blank lines."""
    missing = [k for k in HEADER_KEYS if k not in header]
    if missing:
        raise ValueError(f"header lacks {missing}")
    body = sorted(set(terms))
    for t in body:
        if t != t.strip() or not t or "#" in t:
            raise ValueError(f"bad term {t!r}")
    lines = [f"# {k}: {header[k]}" for k in HEADER_KEYS]
    lines += [f"# {n}" if n else "#" for n in notes]
    return "\n".join([*lines, *body]) + "\n"


def _input_note(path: Path) -> str:
    return f"{path.relative_to(ROOT).as_posix()}"


def generate(dict_path: Path | None = None) -> dict[str, str]:
    """Every generated file's name and text. Pure: reads inputs, writes nothing."""
    entries = load_jieba(dict_path or jieba_dict_path()) + load_thuocl(THUOCL_VENDORED)
    simplify = Simplifier()

    d_stop, d_keep, d_extra = (DATA / f"diseases-{k}.txt" for k in ("stop", "nr-keep", "extra"))
    diseases = build_diseases(
        entries, simplify, read_terms(d_stop), read_terms(d_keep), read_terms(d_extra)
    )
    s_parts, s_stop, s_extra = (DATA / f"symptoms-{k}.txt" for k in ("body-parts", "stop", "extra"))
    symptoms = build_symptoms(
        entries, simplify, read_terms(s_parts), read_terms(s_stop), read_terms(s_extra)
    )

    out = {}
    out["diseases"] = render(
        {
            "name": "diseases",
            "what": "names of diseases, disorders and injuries a product may not claim to "
            "treat, prevent or cure (广告法 第十七条、第十八条; 医疗广告管理办法 第七条)",
            "source": f"{JIEBA_SOURCE} and {THUOCL_SOURCE}: words of 2-{MAX_LEN} characters "
            "that end in a disease morpheme (" + " ".join(DISEASE_SUFFIXES) + ") and are "
            "THUOCL medical words or jieba words tagged n/nz, and jieba words tagged l/i/v/vn "
            "that end in a clinical one (" + " ".join(CLINICAL_SUFFIXES) + "); "
            "t2s-simplified, variant spellings outside GB 2312 dropped, 抗癌-type claim "
            "compounds dropped; minus "
            + _input_note(d_stop)
            + "; plus "
            + _input_note(d_keep)
            + " (disease names jieba tags as person names) and "
            + _input_note(d_extra)
            + " (short names morphology misses, sourced there)",
            "licence": "MIT (jieba, Copyright (c) 2013 Sun Junyi; THUOCL, Copyright (c) 2018 "
            "THUNLP); selection, stop and extra lists by this project",
            "rebuild": REBUILD,
        },
        diseases,
        notes=(
            "Use as the object of @cure_verbs, @prevention_verbs or @relief_verbs in one clause.",
            "Plant and animal diseases the sources list (稻瘟病, 猪链球菌病) are kept:",
            "they are diseases, and health content rarely names them. 炎症 and 并发症",
            "are kept as generic disease words (治疗炎症 is a disease claim); the stop",
            "list says what was removed and why.",
        ),
    )
    out["symptoms"] = render(
        {
            "name": "symptoms",
            "what": "complaints and symptoms a product may claim to relieve; a food or 保健食品 "
            "that claims to relieve them makes a disease claim (广告法 第十七条、第十八条)",
            "source": f"{JIEBA_SOURCE} and {THUOCL_SOURCE}: words (any jieba tag but names, "
            "places and organisations) "
            "shaped body part + complaint, once or twice (头痛, 腰酸背痛), body parts from "
            + _input_note(s_parts)
            + ", complaints: "
            + " ".join(COMPLAINTS)
            + "; "
            "t2s-simplified; minus "
            + _input_note(s_stop)
            + "; plus "
            + _input_note(s_extra)
            + " (complaints of other shapes, sourced there)",
            "licence": "MIT (jieba, Copyright (c) 2013 Sun Junyi; THUOCL, Copyright (c) 2018 "
            "THUNLP); selection, body-part, stop and extra lists by this project",
            "rebuild": REBUILD,
        },
        symptoms,
        notes=(
            "Use as the object of @relief_verbs or @cure_verbs; many items (头痛, 疲劳) are",
            "ordinary words in popular science, so never match this list alone.",
        ),
    )
    return out


def read_vocabulary(path: Path) -> tuple[dict[str, str], list[str]]:
    """Parse a rules/vocabularies file: its `# key: value` header and its terms."""
    header: dict[str, str] = {}
    terms = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            key, sep, value = line[1:].strip().partition(": ")
            if sep and key in HEADER_KEYS and key not in header:
                header[key] = value
        else:
            terms.append(line)
    return header, terms


def sort_file(path: Path) -> None:
    """Rewrite a hand-curated list with its body sorted and deduplicated, header untouched."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = [ln for ln in lines if ln.startswith("#")]
    body = sorted({ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")})
    path.write_text("\n".join([*header, *body]) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or with --check compare) the generated lists; --sort tidies hand lists."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="directory to write into")
    parser.add_argument("--dict", type=Path, default=None, help="jieba dict.txt to read")
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--sort", type=Path, nargs="+", metavar="FILE", help="tidy hand lists")
    parser.add_argument(
        "--import-thuocl", type=Path, metavar="FILE", help="re-vendor THUOCL_medical.txt"
    )
    args = parser.parse_args(argv)
    if args.import_thuocl:
        import_thuocl(args.import_thuocl, THUOCL_VENDORED)
        return 0
    if args.sort:
        for path in args.sort:
            sort_file(path)
        return 0
    stale = []
    for name, text in generate(args.dict).items():
        path = args.out / f"{name}.txt"
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
    for path in stale:
        sys.stderr.write(f"{path}: out of date; run {REBUILD}\n")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
