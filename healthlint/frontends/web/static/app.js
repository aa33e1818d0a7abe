// healthlint web checker: paste or upload an article, see every finding at its characters.
//
// The server returns, beside each finding's code-point offsets (start/end, as the command
// line's JSON has them), the same spans in UTF-16 code units (utf16_spans): the units
// JavaScript strings index. Highlights are cut from the checked text with those, so an emoji
// or a rare ideograph before a finding does not shift it. Text is only ever inserted as
// text nodes, never as HTML: an HTML article is shown as its source, never rendered.
"use strict";

(() => {
  const CATEGORIES = [
    "overclaim", "unsupported-statistic", "share-solicitation", "commercial-contact",
    "missing-disclaimer", "endorsement", "fear-appeal",
  ];
  const SEVERITIES = ["error", "warning", "info"];

  const I18N = {
    zh: {
      tagline: "健康内容合规检查",
      inputTitle: "文章",
      placeholder: "在此粘贴文章（Markdown、HTML 或纯文本），或上传文件……",
      format: "格式", formatAuto: "自动", formatText: "纯文本",
      upload: "上传文件", live: "边写边查", check: "检查",
      resultsTitle: "检查结果", severity: "严重程度", category: "类别",
      privacy: "文章只在这台服务器的内存中检查，不写入磁盘，也不记入日志。",
      checking: "检查中……", done: "检查完成", failed: "检查失败：{message}",
      uploaded: "已读取 {name}（{encoding}）",
      verdict: { pass: "通过", review: "需人工复核", reject: "不通过" },
      score: "风险分 {score}",
      count: "显示 {shown} / {total} 处问题",
      copy: "复制修正后的文本（{n} 处安全修复）",
      copyNone: "没有可自动修复的问题",
      copied: "已复制修正后的文本（应用了 {n} 处修复）",
      copyFailed: "无法写入剪贴板",
      suggestion: "建议", basis: "依据", where: "第 {line} 行第 {column} 列",
      none: "没有发现问题。", allHidden: "所有问题都被筛选隐藏了。",
      severities: { error: "错误", warning: "警告", info: "提示" },
      categories: {
        "overclaim": "夸大宣传", "unsupported-statistic": "无来源数据",
        "share-solicitation": "诱导分享", "commercial-contact": "商业引流",
        "missing-disclaimer": "缺少免责声明", "endorsement": "代言背书",
        "fear-appeal": "恐吓营销",
      },
      switchTo: "English",
    },
    en: {
      tagline: "Compliance checks for Chinese health content",
      inputTitle: "Article",
      placeholder: "Paste an article (Markdown, HTML or plain text), or upload a file…",
      format: "Format", formatAuto: "Auto", formatText: "Plain text",
      upload: "Upload a file", live: "Check while typing", check: "Check",
      resultsTitle: "Results", severity: "Severity", category: "Category",
      privacy: "Articles are checked in this server's memory only: never written to disk or logged.",
      checking: "Checking…", done: "Checked", failed: "Check failed: {message}",
      uploaded: "Read {name} ({encoding})",
      verdict: { pass: "Pass", review: "Needs review", reject: "Reject" },
      score: "risk score {score}",
      count: "showing {shown} of {total} findings",
      copy: "Copy the text with safe fixes ({n})",
      copyNone: "No finding has a safe fix",
      copied: "Copied the fixed text ({n} fixes applied)",
      copyFailed: "Could not write to the clipboard",
      suggestion: "Suggestion", basis: "Basis", where: "line {line}, column {column}",
      none: "No findings.", allHidden: "Every finding is hidden by the filters.",
      severities: { error: "error", warning: "warning", info: "info" },
      categories: {
        "overclaim": "Overclaim", "unsupported-statistic": "Unsourced statistic",
        "share-solicitation": "Share solicitation", "commercial-contact": "Commercial contact",
        "missing-disclaimer": "Missing disclaimer", "endorsement": "Endorsement",
        "fear-appeal": "Fear appeal",
      },
      switchTo: "中文",
    },
  };

  const $ = (id) => document.getElementById(id);
  const state = {
    lang: initialLanguage(),
    result: null, // the last answer of /v1/lint
    text: "", // the text that answer is about
    hiddenCategories: new Set(),
    hiddenSeverities: new Set(),
    selected: null,
    sequence: 0, // answers to older requests are dropped
    controller: null,
    timer: null,
  };

  function initialLanguage() {
    const asked = new URLSearchParams(location.search).get("lang");
    if (asked === "zh" || asked === "en") return asked;
    try {
      const kept = localStorage.getItem("healthlint-lang");
      if (kept === "zh" || kept === "en") return kept;
    } catch (_) { /* storage may be disabled */ }
    return "zh";
  }

  function t(key, vars) {
    const words = I18N[state.lang];
    let text = key.split(".").reduce((o, k) => (o ? o[k] : undefined), words);
    if (typeof text !== "string") return key;
    for (const [name, value] of Object.entries(vars || {})) {
      text = text.replaceAll(`{${name}}`, String(value));
    }
    return text;
  }

  function applyLanguage() {
    document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
    for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
    for (const el of document.querySelectorAll("[data-i18n-placeholder]")) {
      el.placeholder = t(el.dataset.i18nPlaceholder);
    }
    const toggle = $("lang-switch");
    toggle.textContent = t("switchTo");
    toggle.lang = state.lang === "zh" ? "en" : "zh-CN";
  }

  function setStatus(text, isError) {
    const el = $("status");
    el.textContent = text;
    el.classList.toggle("error", Boolean(isError));
  }

  // -- requests ------------------------------------------------------------------------------

  async function send(body, headers, textOf) {
    const sequence = ++state.sequence;
    if (state.controller) state.controller.abort();
    state.controller = new AbortController();
    setStatus(t("checking"));
    $("results").dataset.state = "busy";
    let answer;
    try {
      const response = await fetch("/v1/lint", {
        method: "POST", body, headers, signal: state.controller.signal,
      });
      answer = await response.json();
      if (!response.ok) throw new Error(answer.error ? answer.error.message : response.status);
    } catch (error) {
      if (error.name === "AbortError") return null;
      if (sequence === state.sequence) {
        setStatus(t("failed", { message: error.message }), true);
        $("results").dataset.state = "error";
      }
      return null;
    }
    if (sequence !== state.sequence) return null; // a newer check is on its way
    render(answer, textOf(answer));
    return answer;
  }

  function options() {
    return { language: state.lang };
  }

  function checkText() {
    const text = $("source").value;
    const body = JSON.stringify({ text, format: $("format").value, options: options(), fix: true });
    return send(body, { "Content-Type": "application/json" }, () => text);
  }

  async function upload(file) {
    const form = new FormData();
    form.append("file", file, file.name);
    form.append("format", $("format").value);
    form.append("options", JSON.stringify(options()));
    form.append("fix", "true");
    const answer = await send(form, {}, (a) => a.text);
    if (answer) {
      $("source").value = answer.text;
      setStatus(t("uploaded", { name: file.name, encoding: answer.encoding }));
    }
  }

  // -- rendering -----------------------------------------------------------------------------

  function visible(index) {
    const f = state.result.findings[index];
    return !state.hiddenCategories.has(f.category) && !state.hiddenSeverities.has(f.severity);
  }

  function worst(indices) {
    const findings = state.result.findings;
    for (const severity of SEVERITIES) {
      if (indices.some((i) => findings[i].severity === severity)) return severity;
    }
    return "info";
  }

  function render(result, text) {
    state.result = result;
    state.text = text;
    state.selected = null;
    renderSummary();
    renderFilters();
    renderFindings();
    $("results").hidden = false;
    $("results").dataset.state = "done";
    setStatus(t("done"));
  }

  function renderSummary() {
    const result = state.result;
    const verdict = $("verdict");
    verdict.className = `verdict ${result.verdict}`;
    verdict.textContent = t(`verdict.${result.verdict}`);
    $("score").textContent = t("score", { score: result.score });
    const button = $("copy-fixed");
    const applied = result.fixed ? result.fixed.applied : 0;
    button.disabled = applied === 0;
    button.textContent = applied ? t("copy", { n: applied }) : t("copyNone");
  }

  function renderFilters() {
    const findings = state.result.findings;
    fill($("filter-severity"), SEVERITIES, "severity", state.hiddenSeverities,
      (s) => t(`severities.${s}`), (s) => findings.filter((f) => f.severity === s).length);
    fill($("filter-category"), CATEGORIES, "category", state.hiddenCategories,
      (c) => t(`categories.${c}`), (c) => findings.filter((f) => f.category === c).length);
  }

  function fill(fieldset, names, kind, hidden, label, count) {
    for (const old of fieldset.querySelectorAll("label")) old.remove();
    for (const name of names) {
      const n = count(name);
      if (!n) continue;
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = !hidden.has(name);
      box.dataset.filter = kind;
      box.value = name;
      box.addEventListener("change", () => {
        if (box.checked) hidden.delete(name); else hidden.add(name);
        renderFindings();
      });
      const text = document.createElement("span");
      text.textContent = label(name);
      const number = document.createElement("span");
      number.className = "n";
      number.textContent = `(${n})`;
      const wrap = document.createElement("label");
      wrap.append(box, text, number);
      fieldset.append(wrap);
    }
  }

  // Cuts the text at every start and end of a visible finding; each piece covered by one or
  // more findings becomes a <mark> naming them (data-findings), the rest plain text nodes.
  function renderDocument(shown) {
    const doc = $("document");
    const text = state.text;
    const spans = state.result.utf16_spans;
    doc.replaceChildren();
    const cuts = new Set([0, text.length]);
    for (const i of shown) { cuts.add(spans[i][0]); cuts.add(spans[i][1]); }
    const points = [...cuts].sort((a, b) => a - b);
    for (let k = 0; k < points.length; k++) {
      const at = points[k];
      for (const i of shown) {
        if (spans[i][0] === at && spans[i][1] === at) doc.append(mark([i], at, at, true));
      }
      if (k + 1 === points.length) break;
      const next = points[k + 1];
      const covering = shown.filter((i) => spans[i][0] <= at && next <= spans[i][1]);
      const piece = text.slice(at, next);
      doc.append(covering.length ? mark(covering, at, next, false) : document.createTextNode(piece));
    }
  }

  function mark(indices, start, end, point) {
    const el = document.createElement("mark");
    el.className = `hl sev-${worst(indices)}${point ? " point" : ""}`;
    el.dataset.findings = indices.join(" ");
    el.dataset.start = String(start);
    el.dataset.end = String(end);
    el.textContent = state.text.slice(start, end);
    el.title = indices.map((i) => state.result.findings[i].message).join("\n");
    el.addEventListener("click", () => select(indices[0], "card"));
    return el;
  }

  function renderFindings() {
    const findings = state.result.findings;
    const shown = findings.map((_, i) => i).filter(visible);
    renderDocument(shown);
    $("count").textContent = t("count", { shown: shown.length, total: findings.length });
    const list = $("findings");
    list.replaceChildren();
    if (!shown.length) {
      const empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = findings.length ? t("allHidden") : t("none");
      list.append(empty);
      return;
    }
    for (const i of shown) list.append(card(findings[i], i));
  }

  function card(f, index) {
    const li = document.createElement("li");
    li.className = `finding sev-${f.severity}`;
    li.dataset.index = String(index);
    li.dataset.rule = f.rule;
    const head = element("div", "head");
    head.append(
      element("span", `badge sev-${f.severity}`, t(`severities.${f.severity}`)),
      element("span", "category", t(`categories.${f.category}`)),
      element("code", "rule", f.rule),
      element("span", "where", t("where", { line: f.line, column: f.column })),
    );
    li.append(head, element("p", "quote", `「${f.text}」`), element("p", "message", f.message));
    if (f.suggestion) li.append(labelled("suggestion", f.suggestion));
    if (f.basis) li.append(labelled("basis", f.basis));
    li.addEventListener("click", () => select(index, "mark"));
    return li;
  }

  function labelled(key, value) {
    const p = element("p", key);
    p.append(element("span", "label", `${t(key)}：`), document.createTextNode(value));
    return p;
  }

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function select(index, reveal) {
    state.selected = index;
    for (const el of document.querySelectorAll(".selected")) el.classList.remove("selected");
    const marks = [...document.querySelectorAll("mark.hl")].filter((m) =>
      m.dataset.findings.split(" ").includes(String(index)));
    for (const m of marks) m.classList.add("selected");
    const li = document.querySelector(`.finding[data-index="${index}"]`);
    if (li) li.classList.add("selected");
    const target = reveal === "mark" ? marks[0] : li;
    if (target) target.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  async function copyFixed() {
    const fixed = state.result && state.result.fixed;
    if (!fixed) return;
    try {
      await navigator.clipboard.writeText(fixed.text);
    } catch (_) {
      const area = document.createElement("textarea");
      area.value = fixed.text;
      document.body.append(area);
      area.select();
      const ok = document.execCommand("copy");
      area.remove();
      if (!ok) { setStatus(t("copyFailed"), true); return; }
    }
    setStatus(t("copied", { n: fixed.applied }));
  }

  // -- wiring --------------------------------------------------------------------------------

  function init() {
    applyLanguage();
    $("check").addEventListener("click", checkText);
    $("copy-fixed").addEventListener("click", copyFixed);
    $("file").addEventListener("change", (event) => {
      const file = event.target.files[0];
      if (file) upload(file);
      event.target.value = "";
    });
    $("source").addEventListener("input", () => {
      clearTimeout(state.timer);
      if ($("live").checked) state.timer = setTimeout(checkText, 700);
    });
    $("source").addEventListener("dragover", (event) => event.preventDefault());
    $("source").addEventListener("drop", (event) => {
      const file = event.dataTransfer && event.dataTransfer.files[0];
      if (file) { event.preventDefault(); upload(file); }
    });
    $("format").addEventListener("change", () => { if (state.result) checkText(); });
    $("lang-switch").addEventListener("click", () => {
      state.lang = state.lang === "zh" ? "en" : "zh";
      try { localStorage.setItem("healthlint-lang", state.lang); } catch (_) { /* ignore */ }
      applyLanguage();
      if (state.result) checkText(); // the findings' own words come from the server
    });
    document.body.dataset.ready = "true";
  }

  init();
})();
