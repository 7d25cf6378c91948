/* Exercises on a static book page: answers are checked in the browser against a sealed spec.
 * Each <div class="exercise"> holds native form controls and a <script type="application/json"
 * class="exercise-spec"> made by exercises/checking/sealing.py: salted SHA-256 hashes of accepted answers
 * and feedback encrypted under keys only the matching answer yields. The checker is the twin of
 * exercises.checking.check_sealed (the same rules as checking.check); tests/vectors.json runs against all three.
 * No network, no dependencies; ES2017 plus Unicode property escapes and BigInt; a classic script.
 */
(function () {
  "use strict";

  // --- SHA-256 (FIPS 180-4)
  const words = (s) => Uint32Array.from(s.match(/.{8}/g), (w) => parseInt(w, 16));
  const K = words(
    "428a2f9871374491b5c0fbcfe9b5dba53956c25b59f111f1923f82a4ab1c5ed5d807aa9812835b01243185be550c7dc372be5d7480deb1fe9bdc06a7c19bf174" +
    "e49b69c1efbe47860fc19dc6240ca1cc2de92c6f4a7484aa5cb0a9dc76f988da983e5152a831c66db00327c8bf597fc7c6e00bf3d5a7914706ca635114292967" +
    "27b70a852e1b21384d2c6dfc53380d13650a7354766a0abb81c2c92e92722c85a2bfe8a1a81a664bc24b8b70c76c51a3d192e819d6990624f40e3585106aa070" +
    "19a4c1161e376c082748774c34b0bcb5391c0cb34ed8aa4a5b9cca4f682e6ff3748f82ee78a5636f84c878148cc7020890befffaa4506cebbef9a3f7c67178f2");
  const H0 = words("6a09e667bb67ae853c6ef372a54ff53a510e527f9b05688c1f83d9ab5be0cd19");
  const W = new Uint32Array(64);
  const rot = (x, n) => (x >>> n) | (x << (32 - n));

  function sha256(bytes) {
    const n = bytes.length, total = ((n + 72) >> 6) << 6, m = new Uint8Array(total), h = H0.slice();
    m.set(bytes);
    m[n] = 0x80;
    for (let b = 0, bits = n * 8; b < 8; b++, bits = Math.floor(bits / 256)) m[total - 1 - b] = bits & 255;
    for (let off = 0; off < total; off += 64) {
      for (let i = 0; i < 16; i++) { const j = off + 4 * i; W[i] = (m[j] << 24) | (m[j + 1] << 16) | (m[j + 2] << 8) | m[j + 3]; }
      for (let i = 16; i < 64; i++) {
        const x = W[i - 15], y = W[i - 2];
        W[i] = (W[i - 16] + (rot(x, 7) ^ rot(x, 18) ^ (x >>> 3)) + W[i - 7] + (rot(y, 17) ^ rot(y, 19) ^ (y >>> 10))) | 0;
      }
      let [a, b, c, d, e, f, g, k] = h;
      for (let i = 0; i < 64; i++) {
        const t1 = (k + (rot(e, 6) ^ rot(e, 11) ^ rot(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
        const t2 = ((rot(a, 2) ^ rot(a, 13) ^ rot(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      [a, b, c, d, e, f, g, k].forEach((v, i) => { h[i] += v; });
    }
    const out = new Uint8Array(32);
    h.forEach((v, i) => { out[4 * i] = v >>> 24; out[4 * i + 1] = v >>> 16; out[4 * i + 2] = v >>> 8; out[4 * i + 3] = v; });
    return out;
  }

  const encoder = new TextEncoder(), decoder = new TextDecoder("utf-8");
  const utf8 = (text) => encoder.encode(text);
  const hex = (bytes) => Array.from(bytes, (b) => (b < 16 ? "0" : "") + b.toString(16)).join("");
  function concat(list) {
    const out = new Uint8Array(list.reduce((n, a) => n + a.length, 0));
    list.reduce((at, a) => { out.set(a, at); return at + a.length; }, 0);
    return out;
  }

  // --- the sealed-spec primitives (exercises/checking/crypto.py)
  const SEP = "\x1f";
  const answerHash = (salt, part, value) => hex(sha256(utf8(["exercises.hash/1", salt, part, value].join(SEP))));
  const deriveKey = (salt, purpose, value) => sha256(utf8(["exercises.key/1", salt, purpose, value || ""].join(SEP)));
  function decryptBytes(key, token) {
    const data = Uint8Array.from(atob(token), (c) => c.charCodeAt(0));
    for (let block = 0; block * 32 < data.length; block++) {
      const stream = sha256(concat([key, Uint8Array.of(block >>> 24, block >>> 16, block >>> 8, block)]));
      for (let i = 0; i < 32 && block * 32 + i < data.length; i++) data[block * 32 + i] ^= stream[i];
    }
    return data;
  }
  const decrypt = (key, token) => (token ? decoder.decode(decryptBytes(key, token)) : "");
  const explanationKey = (secrets) => sha256(concat([utf8("exercises.explain/1")].concat(secrets)));

  // --- Python's text rules, mirrored (canonical.normalise_text, parse_number)
  const SPACE = /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/;
  const isSpace = (ch) => SPACE.test(ch);
  function pyStrip(s) {
    const cps = Array.from(s);
    let a = 0, b = cps.length;
    while (a < b && isSpace(cps[a])) a++;
    while (b > a && isSpace(cps[b - 1])) b--;
    return cps.slice(a, b).join("");
  }
  const cpSlice = (s, n) => Array.from(s).slice(0, n).join("");
  function wordCount(text) {  // types/written.word_count: runs of non-space characters
    let n = 0, inWord = false;
    for (const ch of text) { const sp = isSpace(ch); if (!sp && !inWord) n++; inWord = !sp; }
    return n;
  }
  function lengthNote(n, words) {  // types/written.length_note
    const low = (words || {}).min, high = (words || {}).max;
    if (high && n > high * 1.5) return n + " words, far over the limit of " + high + "; the whole text is kept for the marker";
    if (high && n > high) return n + " words, over the limit of " + high;
    return low && n < low ? n + " words, under the minimum of " + low : "";
  }
  const MAX_CHARS = 50000;
  const textOf = (a) => (typeof a === "string" ? a : a !== null && typeof a === "object" && !Array.isArray(a) && typeof a.text === "string" ? a.text : null);
  const pyType = (v) => (v === null ? "NoneType" : Array.isArray(v) ? "list" : typeof v === "object" ? "dict" : typeof v);

  const FOLD = { "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ß": "ss", "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L",
    "đ": "d", "Đ": "D", "ı": "i", "\u2019": "'", "\u2018": "'" };
  // a character has a non-zero canonical combining class iff NFD moves U+0345 (class 240) after it
  const isCombining = (ch) => ch.charCodeAt(0) >= 0x300 && (ch === "\u0345" || ("\u0345" + ch).normalize("NFD")[0] !== "\u0345");
  function normaliseText(text) {
    const s = String(text).replace(/[æÆøØßœŒłŁđĐı\u2019\u2018]/g, (c) => FOLD[c]).normalize("NFKD");
    return Array.from(s).filter((ch) => !isCombining(ch)).join("").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").split(" ").filter(Boolean).join(" ");
  }

  const DIGIT = /^\p{Nd}$/u, WORD = /^[\p{L}\p{N}_]$/u;
  const isDigit = (ch) => ch !== undefined && DIGIT.test(ch);
  const NUMBER = /^[+-]?(\p{Nd}+([.,]\p{Nd}*)?|[.,]\p{Nd}+)([eE][+-]?\p{Nd}+)?$/u;
  function digitValue(ch) { // decimal digits come in runs of ten, starting at zero
    const cp = ch.codePointAt(0);
    let start = cp;
    while (isDigit(String.fromCodePoint(start - 1))) start--;
    return (cp - start) % 10;
  }
  // codes and arguments of exercises/canonical.py SHAPE_MESSAGES, worded here
  const SHAPE = { number_bool: "expected a number, got true/false", number_text: "expected a number, got {value}",
    number_type: "expected a number, got {kind}", number_infinite: "expected a finite number",
    result_shape: "expected the code and the value it computed", result_text: "expected text as the result",
    mapping: "expected a mapping of {what}", mapping_text: "expected a mapping of {what} (text to text)",
    id_list: "expected a list of ids", one_option: "expected one option id", text: "expected text",
    every_item: "expected every item exactly once", unknown: "{value} is not one of the {what}" };
  class ShapeError extends Error {
    constructor(code, args = {}) {
      super(SHAPE[code].replace(/\{(\w+)\}/g, (m, k) => (k === "value" ? "\u201c" + args[k] + "\u201d" : args[k])));
      Object.assign(this, { code, args });
    }
  }
  function parseNumber(value) {
    let number;
    if (typeof value === "boolean") throw new ShapeError("number_bool");
    if (typeof value === "number") number = value;
    else if (typeof value === "string") {
      const cps = Array.from(pyStrip(pyStrip(value).replace(/%+$/, "")).split("\u2212").join("-"));
      // "1 066", "12_345": a separator between a digit and three digits that end a word goes
      let s = cps.filter((ch, i) => !(/^[ \u00a0\u202f_]$/.test(ch) && isDigit(cps[i - 1]) && isDigit(cps[i + 1]) &&
        isDigit(cps[i + 2]) && isDigit(cps[i + 3]) && !(i + 4 < cps.length && WORD.test(cps[i + 4])))).join("");
      if (s.split(",").length === 2 && !s.includes(".")) s = s.replace(",", ".");
      if (!NUMBER.test(s)) throw new ShapeError("number_text", { value: cpSlice(value, 40) });
      number = Number(Array.from(s, (ch) => (isDigit(ch) ? String(digitValue(ch)) : ch)).join(""));
    } else throw new ShapeError("number_type", { kind: pyType(value) });
    if (!isFinite(number)) throw new ShapeError("number_infinite");
    return number;
  }

  // checks.grid_index as [sign, BigInt index]; null when too large for the grid (matches nothing)
  const onGrid = (sign, x) => (isFinite(x) ? [sign, BigInt(Math.floor(x))] : null);
  function gridIndex(value, tol, steps) {
    if ("abs" in tol) return onGrid(0, value / (tol.abs / steps) + 0.5);
    if (value === 0) return [0, BigInt(0)];
    return onGrid(value > 0 ? 1 : -1, Math.log(Math.abs(value)) / (Math.log1p(tol.rel) / steps) + 0.5);
  }

  // --- the checker (exercises/checking/rules.py)
  const isMapping = (a) => a !== null && typeof a === "object" && !Array.isArray(a);
  const values = (o) => Object.keys(o).map((k) => o[k]);
  function isBlank(a) {
    if (a === null || a === undefined) return true;
    if (typeof a === "string") return pyStrip(a) === "";
    if (typeof a !== "object") return false;
    const v = Array.isArray(a) ? a : values(a);
    return v.length === 0 || v.every(isBlank);
  }
  function expectIdList(a) {
    if (!Array.isArray(a) || !a.every((v) => typeof v === "string")) throw new ShapeError("id_list");
    return a.slice();
  }
  function expectMapping(a, what) {
    if (!isMapping(a)) throw new ShapeError("mapping", { what });
    const out = {};
    Object.keys(a).forEach((k) => {
      if (!(a[k] === null || typeof a[k] === "string")) throw new ShapeError("mapping_text", { what });
      if (a[k]) out[k] = a[k];
    });
    return out;
  }
  function cpCompare(a, b) {
    const x = Array.from(a, (c) => c.codePointAt(0)), y = Array.from(b, (c) => c.codePointAt(0));
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  }
  const isClose = (a, b) => a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  const unknownError = (id, what) => new ShapeError("unknown", { value: cpSlice(id, 40), what });
  const part = (id, correct, feedback) => ({ id, correct, feedback: feedback || "" });

  class Checker {
    constructor(spec) {
      if (!spec || spec.format !== "exercises.sealed/1") throw new Error("not a sealed exercise spec");
      Object.assign(this, { spec, salt: spec.salt, points: spec.points, secrets: {} });
    }
    accepts(pid, value) {  // a match unlocks the part's secret, when the spec carries one
      const h = answerHash(this.salt, pid, value), entry = (this.spec.accept[pid] || []).find((e) => e.h === h);
      if (entry && entry.w) this.secrets[pid] = decryptBytes(deriveKey(this.salt, "wrap" + SEP + pid, value), entry.w);
      return Boolean(entry);
    }
    fb(purpose, value, token) { return token ? decrypt(deriveKey(this.salt, purpose, value), token) : ""; }
    result(score, parts, feedback) {
      return { exercise: this.spec.id, score, points: this.points, parts, feedback: feedback || "", valid: true, blank: false, error: null, pending: false };
    }
    partsResult(parts) { return this.result(parts.length ? this.points * (parts.filter((p) => p.correct).length / parts.length) : 0, parts); }
    single_choice(answer) {
      if (typeof answer !== "string") throw new ShapeError("one_option");
      if (!this.spec.options.includes(answer)) throw unknownError(answer, "options");
      const ok = this.accepts("answer", answer);
      return this.result(ok ? this.points : 0, [part(answer, ok, this.fb("option", answer, this.spec.option_feedback[answer]))]);
    }
    multiple_select(answer) {
      const spec = this.spec, chosen = expectIdList(answer), unknown = chosen.filter((c) => !spec.options.includes(c));
      if (unknown.length) throw unknownError(unknown[0], "options");
      const picks = chosen.filter((c, i) => chosen.indexOf(c) === i);
      const parts = picks.map((c) => part(c, spec.members.includes(answerHash(this.salt, "member", c)), this.fb("option", c, spec.option_feedback[c])));
      const right = parts.filter((p) => p.correct).length, wrong = parts.length - right;
      this.accepts("answer", picks.slice().sort(cpCompare).join("\x1e"));
      return this.result(this.points * Math.max(0, (right - wrong) / spec.n_keys), parts,
        right + " of the " + spec.n_keys + " right options chosen" + (wrong ? ", " + wrong + " wrong" : ""));
    }
    number(value) {
      const spec = this.spec, g = gridIndex(value, spec.tolerance, spec.steps), near = [];
      for (let d = -spec.steps; g && d <= spec.steps; d++) near.push(g[0] + ":" + (g[1] + BigInt(d)));
      if (near.some((c) => this.accepts("answer", c))) return this.result(this.points, [part("answer", true)]);
      for (const mis of spec.misconceptions || []) {
        const c = near.find((x) => answerHash(this.salt, "mis", x) === mis.h);
        if (c !== undefined) return this.result(0, [part("answer", false, this.fb("mis", c, mis.f))]);
      }
      return this.result(0, [part("answer", false, this.fb("incorrect", "", spec.incorrect))]);
    }
    numeric(answer) { return this.number(parseNumber(answer)); }
    short_text(answer) {
      if (typeof answer !== "string") throw new ShapeError("text");
      const spec = this.spec, given = normaliseText(cpSlice(answer, 2000));
      let ok = this.accepts("answer", given);
      if (!ok && spec.pattern) {
        const pattern = decrypt(deriveKey(this.salt, "pattern"), spec.pattern);
        ok = new RegExp("^(?:" + pattern + ")$").test(given);
        if (ok && spec.pattern_w) this.secrets.answer = decryptBytes(deriveKey(this.salt, "wrap-pattern", pattern), spec.pattern_w);
      }
      if (ok) return this.result(this.points, [part("answer", true)]);
      const h = answerHash(this.salt, "mis", given), mis = (spec.misconceptions || []).find((m) => m.h === h);
      return this.result(0, [part("answer", false, mis ? this.fb("mis", given, mis.f) : this.fb("incorrect", "", spec.incorrect))]);
    }
    ordering(answer) {
      const order = expectIdList(answer), items = this.spec.items;
      if (order.length !== items.length || !items.every((i) => order.includes(i)) || !order.every((i) => items.includes(i))) {
        throw new ShapeError("every_item");
      }
      return this.partsResult(order.map((item, i) => part(String(i + 1), this.accepts(String(i + 1), item))));
    }
    mapping(given, what) {
      const spec = this.spec, keys = Object.keys(given);
      const unknown = keys.filter((k) => !spec.part_ids.includes(k)), bad = values(given).filter((v) => !spec.choices.includes(v));
      if (unknown.length) throw unknownError(unknown[0], what);
      if (bad.length) throw unknownError(bad[0], "choices");
      return this.partsResult(spec.part_ids.map((pid) => {
        const present = keys.includes(pid), ok = present && this.accepts(pid, given[pid]);
        return part(pid, ok, ok || !present ? "" : this.fb("wrong", pid, spec.wrong[pid]));
      }));
    }
    matching(a) { return this.mapping(expectMapping(a, "left items to right items"), "items to match"); }
    categorisation(a) { return this.mapping(expectMapping(a, "items to categories"), "items"); }
    slot_coding(a) { return this.mapping(expectMapping(a, "slots to options"), "slots"); }
    relation_matrix(a) {
      const raw = expectMapping(a, "cells to values"), given = {};
      Object.keys(raw).forEach((k) => {
        const at = k.indexOf("/");
        given[at < 0 ? k : [k.slice(0, at), k.slice(at + 1)].sort(cpCompare).join("/")] = raw[k];
      });
      return this.mapping(given, "cells");
    }
    code(answer) {
      if (!isMapping(answer) || !("value" in answer)) throw new ShapeError("result_shape");
      if (this.spec.kind === "number") return this.number(parseNumber(answer.value));
      if (typeof answer.value !== "string") throw new ShapeError("result_text");
      const ok = this.accepts("answer", normaliseText(answer.value));
      return this.result(ok ? this.points : 0, [part("answer", ok, ok ? "" : this.fb("incorrect", "", this.spec.incorrect))]);
    }
    written(answer) {  // nothing is checked: a person (or the student) marks it against the rubric
      const text = textOf(answer), notes = [];
      if (text === null) throw new ShapeError("text");
      notes.push(lengthNote(wordCount(cpSlice(text, MAX_CHARS)), this.spec.words));
      if (Array.from(text).length > MAX_CHARS) notes.push("only the first 50,000 characters are kept");
      const said = notes.filter(Boolean).map((s) => s[0].toUpperCase() + s.slice(1) + ".");
      return Object.assign(this.result(0, this.spec.rubric.map((c) => part(c.id, false)), ["Awaiting marking."].concat(said).join(" ")),
        { pending: true });
    }
    run(answer) {
      let r;
      const t = this.spec.type;
      if (isBlank(answer) || (t === "code" && isMapping(answer) && isBlank(answer.value)) ||
          (t === "written" && isMapping(answer) && typeof answer.text === "string" && !pyStrip(answer.text))) {
        r = Object.assign(this.result(0, [], "No answer given."), { blank: true });
      } else {
        try { r = this[this.spec.type](answer); } catch (err) {
          if (!(err instanceof ShapeError)) throw err;
          r = Object.assign(this.result(0, [], "Answer not understood: " + err.message + "."),
            { valid: false, error: { code: err.code, args: err.args } });
        }
      }
      r.correct = r.valid && !r.blank && !r.pending && isClose(r.score, r.points);
      return r;
    }
  }

  const checkSealed = (spec, answer) => new Checker(spec).run(answer);

  // the explanation's HTML for an answer right in every part, or after enough attempts (study mode)
  function explanationFor(spec, answer, attempts) {
    const info = spec.explanation;
    if (!info) return null;
    if (answer !== undefined && answer !== null) {
      const c = new Checker(spec), r = c.run(answer), secrets = spec.part_ids.map((p) => c.secrets[p]);
      if (r.correct && secrets.every(Boolean)) return decrypt(explanationKey(secrets), info.solved);
    }
    return (attempts || 0) >= info.after ? decrypt(deriveKey(spec.salt, "attempts", String(info.after)), info.attempts) : null;
  }

  // what a written exercise's spec opens once a response is submitted (checking.submitted_texts)
  function submittedTexts(spec, answer) {
    const r = checkSealed(spec, answer);
    return spec.submitted && r.valid && !r.blank ? JSON.parse(decrypt(deriveKey(spec.salt, "submitted"), spec.submitted)) : null;
  }

  const api = { sha256, hex, answerHash, normaliseText, parseNumber, gridIndex, pyStrip, isCombining, digitValue,
    isWord: (ch) => WORD.test(ch), checkSealed, explanationFor, submittedTexts };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  if (typeof window === "undefined" || typeof document === "undefined") return;
  window.Exercises = api;

  // --- the page: wiring the controls
  const $ = (root, sel) => root.querySelector(sel);
  const $$ = (root, sel) => Array.from(root.querySelectorAll(sel));
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function typeset(node) {
    const mj = window.MathJax;
    if (mj && typeof mj.typesetPromise === "function") mj.typesetPromise([node]).catch(() => {});
  }
  const num = (x) => String(Math.round(x * 100) / 100);

  function collect(root, type) {
    const form = $(root, ".exercise-form"), input = $(form, ".exercise-input");
    if (type === "single_choice") { const on = $(form, "input[type=radio]:checked"); return on ? on.value : null; }
    if (type === "multiple_select") return $$(form, "input[type=checkbox]:checked").map((i) => i.value);
    if (type === "numeric" || type === "short_text") return input.value;
    if (type === "code") return { value: input.value };
    if (type === "written") return $(form, ".exercise-text").value;
    if (type === "ordering") return $$(form, ".exercise-order > li").map((li) => li.dataset.item);
    const out = {};
    $$(form, "select[data-part]").forEach((s) => { out[s.dataset.part] = s.value; });
    return out;
  }

  function setMark(mark, ok, none) {  // ok: true, false, or undefined to clear
    if (!mark) return;
    mark.textContent = ok === undefined ? "" : ok ? "\u2713 right" : none ? "\u2717 no answer" : "\u2717 wrong";
    mark.className = "exercise-mark" + (ok === undefined ? "" : ok ? " is-right" : " is-wrong");
  }
  const clearMarks = (root, pid) => $$(root, ".exercise-mark").forEach((m) => {
    if (pid === undefined || m.dataset.markFor === pid) setMark(m);
  });

  function showResult(root, spec, state, result, answer) {
    const box = $(root, ".exercise-feedback"), verdict = el("p", "exercise-verdict");
    box.textContent = "";
    clearMarks(root);
    if (result.pending) {  // written: nothing is checked; the notes on its length, if any, follow
      verdict.appendChild(el("strong", "", "Submitted."));
      verdict.append(spec.mode === "study" ? " Compare it with the model answer below, then score yourself against the rubric."
        : " Score yourself against the rubric below.");
      box.appendChild(verdict);
      const notes = result.feedback.replace(/^Awaiting marking\.\s*/, "");
      if (notes) box.appendChild(el("p", "exercise-summary", notes));
      return;
    }
    if (result.blank || !result.valid) verdict.appendChild(el("strong", "", result.feedback));
    else {
      verdict.appendChild(el("strong", "", result.correct ? "Correct." : result.score > 0 ? "Partly right." : "Not right yet."));
      verdict.append(" Score: " + num(result.score) + " of " + num(result.points) + (result.points === 1 ? " point." : " points."));
    }
    box.appendChild(verdict);
    if (result.valid && !result.blank && result.feedback) box.appendChild(el("p", "exercise-summary", result.feedback));
    const list = el("ul", "exercise-parts"), rows = $$(root, ".exercise-order > li");
    const shown = $$(root, "select[data-part]").map((s) => s.dataset.part);  // list parts in the page's order
    result.parts.slice().sort((a, b) => shown.indexOf(a.id) - shown.indexOf(b.id)).forEach((p, i) => {
      const li = el("li", p.correct ? "is-right" : "is-wrong"), label = spec.labels[p.id];
      const unanswered = !p.correct && spec.choices && !answer[p.id];
      li.appendChild(el("strong", "exercise-part-verdict", p.correct ? "\u2713 Right" : unanswered ? "\u2717 No answer" : "\u2717 Wrong"));
      if (label && p.id !== "answer") li.append(": " + label);
      if (p.feedback) {
        const fb = li.appendChild(el("div", "exercise-part-feedback"));
        fb.innerHTML = p.feedback; // HTML rendered from the bank's Markdown at build time
      }
      list.appendChild(li);
      setMark(spec.type === "ordering" ? rows[i] && $(rows[i], ".exercise-mark") : $(root, '.exercise-mark[data-mark-for="' + p.id + '"]'), p.correct, unanswered);
    });
    if (result.parts.length) box.appendChild(list);
    const html = spec.mode === "study" && result.correct ? explanationFor(spec, answer, 0) : null;
    if (html) {
      state.solved = true;
      revealExplanation(root, html);
      box.appendChild(el("p", "exercise-explanation-note", "The explanation is shown below."));
    } else if (spec.explanation && !state.solved && state.attempts >= spec.explanation.after) {
      $(root, ".exercise-explain-button").hidden = false;
    }
    typeset(box);
  }

  function revealExplanation(root, html) {
    const box = $(root, ".exercise-explanation"), btn = $(root, ".exercise-explain-button");
    box.textContent = "";
    box.appendChild(el("h5", "exercise-explanation-title", "Explanation"));
    box.appendChild(el("div", "exercise-explanation-body")).innerHTML = html;
    box.hidden = false;
    if (document.activeElement === btn) box.focus();
    btn.hidden = true;
    typeset(box);
  }

  function check(root, spec, state) {
    const answer = collect(root, spec.type), result = checkSealed(spec, answer);
    if (!result.blank && result.valid) state.attempts += 1;
    const count = $(root, ".exercise-attempt-count");
    if (count) count.textContent = String(state.attempts);
    showResult(root, spec, state, result, answer);
    const detail = { id: spec.id, chapter: spec.chapter, objectives: spec.objectives.slice(), score: result.score,
      points: result.points, correct: result.correct, attempts: state.attempts };
    if (result.pending) Object.assign(detail, { pending: true, text: textOf(answer) });
    document.dispatchEvent(new CustomEvent("exercise:checked", { detail }));
    if (result.pending) openSubmitted(root, spec, answer);
  }

  // --- a written answer: the text area, its word count, a draft kept by progress.js (the
  // "exercise:draft" event), what a submission opens and the student's own marking
  // ("exercise:self-assessed"). The student's text is only ever a value or textContent.
  const emit = (name, spec, more) => document.dispatchEvent(new CustomEvent(name, { detail: Object.assign({
    id: spec.id, chapter: spec.chapter, objectives: spec.objectives.slice(), points: spec.points }, more) }));

  function countText(n, words) {
    const low = (words || {}).min, high = (words || {}).max, w = n + (n === 1 ? " word" : " words");
    if (high && n > high) return [w + ": over the limit of " + high + ".", true];
    if (low && n < low) return [w + ": under the minimum of " + low + ".", true];
    return [w + (low && high ? " (between " + low + " and " + high + ")." : "."), false];
  }

  function openSubmitted(root, spec, answer) {
    const texts = submittedTexts(spec, answer), box = $(root, ".exercise-submitted");
    if (!texts || !box) return false;
    $$(box, "[data-opened]").forEach((div) => {
      const html = texts[div.dataset.opened];
      div.textContent = "";
      div.hidden = !html;
      if (!html) return;
      div.appendChild(el("h6", "exercise-model-title", div.dataset.title));
      div.appendChild(el("div", "exercise-model-body")).innerHTML = html; // rendered from the bank's Markdown at build time
    });
    $$(box, ".exercise-criterion").forEach((fs) => {
      const html = texts.descriptors[fs.dataset.criterion] || [];
      $$(fs, ".exercise-descriptor").forEach((d, i) => { d.innerHTML = html[i] || ""; });
    });
    box.hidden = false;
    typeset(box);
    return true;
  }

  function ownMarks(root, spec) {
    const levels = {};
    let score = 0;
    $$(root, ".exercise-criterion").forEach((fs) => {
      const on = $(fs, "input:checked");
      if (on) { levels[fs.dataset.criterion] = Number(on.value); score += Number(on.dataset.points); }
    });
    const n = Object.keys(levels).length, all = spec.rubric.length;
    $(root, ".exercise-self-total").textContent = !n ? "" : n === all
      ? "Your self-assessment: " + num(score) + " of " + num(spec.points) + " points."
      : "Your self-assessment so far: " + num(score) + " points, " + n + " of " + all + " criteria scored.";
    return { self: levels, score: n === all ? score : null };
  }

  function wireWritten(root, spec) {
    const text = $(root, ".exercise-text"), count = $(root, ".exercise-word-count"), box = $(root, ".exercise-submitted");
    let timer = null;
    const recount = () => {
      const [said, off] = countText(wordCount(text.value), spec.words);
      count.textContent = said;
      count.classList.toggle("is-off", off);
    };
    const flush = () => { if (timer !== null) { clearTimeout(timer); timer = null; emit("exercise:draft", spec, { text: text.value }); } };
    text.addEventListener("input", () => { recount(); clearTimeout(timer); timer = setTimeout(flush, 300); });
    text.addEventListener("change", flush);
    window.addEventListener("pagehide", flush);
    box.addEventListener("change", () => emit("exercise:self-assessed", spec, ownMarks(root, spec)));
    // progress.js gives back this browser's record after a reload (text, submission, own marks)
    root.exerciseRestore = (r) => {
      if (typeof r.text === "string" && !text.value) text.value = r.text;
      recount();
      if (!r.submitted || !openSubmitted(root, spec, text.value)) return;
      Object.keys(r.self || {}).forEach((c) => {
        const radio = $$(box, ".exercise-criterion").filter((fs) => fs.dataset.criterion === c).map((fs) => $$(fs, "input")[r.self[c]])[0];
        if (radio) radio.checked = true;
      });
      ownMarks(root, spec);
    };
    recount();
  }

  function wireOrdering(root) {
    const list = $(root, ".exercise-order"), live = $(root, ".exercise-order-status");
    if (!list) return;
    list.addEventListener("click", (ev) => {
      const btn = ev.target.closest("button[data-move]");
      if (!btn) return;
      const li = btn.closest("li"), items = $$(list, ":scope > li"), at = items.indexOf(li);
      const to = btn.dataset.move === "up" ? at - 1 : at + 1, name = "\u201c" + $(li, ".exercise-item-text").textContent + "\u201d";
      if (to < 0 || to >= items.length) { live.textContent = name + " is already " + (to < 0 ? "first." : "last."); return; }
      list.insertBefore(li, to < at ? items[to] : items[to].nextSibling);
      btn.focus();
      clearMarks(root);
      live.textContent = name + " moved to position " + (to + 1) + " of " + items.length + ".";
    });
  }

  function wireHints(root) {
    const btn = $(root, ".exercise-hint-button"), hints = $$(root, ".exercise-hints > li");
    if (!btn) return;
    btn.disabled = false;
    btn.addEventListener("click", () => {
      const next = hints.find((h) => h.hidden);
      if (!next) return;
      next.hidden = false;
      $(root, ".exercise-hints").hidden = false;
      const left = hints.filter((h) => h.hidden).length;
      btn.textContent = left ? "Show another hint (" + left + " left)" : "No more hints";
      if (!left) btn.setAttribute("aria-disabled", "true");
      typeset(next);
    });
  }

  function wireCopy(root) {
    const btn = $(root, ".exercise-copy"), code = $(root, ".exercise-code"), status = $(root, ".exercise-copy-status");
    if (!btn) return;
    btn.disabled = false;
    const done = (ok) => { status.textContent = ok ? "Code copied." : "Select the code and copy it with Ctrl+C (Cmd+C)."; };
    btn.addEventListener("click", () => {
      if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(code.textContent).then(() => done(true), () => done(false)); return; }
      const range = document.createRange(), sel = window.getSelection();
      range.selectNodeContents(code);
      sel.removeAllRanges();
      sel.addRange(range);
      let ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      done(ok);
    });
  }

  function wire(root) {
    if (root.dataset.wired) return;
    let spec;
    try { spec = JSON.parse($(root, "script.exercise-spec").textContent); } catch (e) {
      $(root, ".exercise-feedback").textContent = "This exercise could not be loaded: its data is damaged.";
      return;
    }
    root.dataset.wired = "1";
    const state = root.exerciseState = { attempts: 0, solved: false }, form = $(root, ".exercise-form");
    form.addEventListener("submit", (ev) => { ev.preventDefault(); check(root, spec, state); });
    form.addEventListener("input", (ev) => clearMarks(root, ev.target.type === "radio" ? undefined : ev.target.dataset.part));
    wireOrdering(root);
    wireHints(root);
    wireCopy(root);
    if (spec.type === "written") wireWritten(root, spec);
    const explain = $(root, ".exercise-explain-button");
    if (explain) explain.addEventListener("click", () => revealExplanation(root, explanationFor(spec, null, state.attempts)));
    $(root, ".exercise-check").disabled = false;
  }

  const init = () => $$(document, "div.exercise[data-exercise]").forEach(wire);
  api.init = init;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
