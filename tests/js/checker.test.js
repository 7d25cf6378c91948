// The browser checker (exercises/assets/exercises.js) against Python's: run from pytest
// (tests/test_js_checker.py), which writes the fixture and passes its path in
// EXERCISES_JS_FIXTURE.  By hand: pytest tests/test_js_checker.py, or set the variable yourself.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const ex = require("../../exercises/assets/exercises.js");

const fixturePath = process.env.EXERCISES_JS_FIXTURE;
if (!fixturePath) throw new Error("EXERCISES_JS_FIXTURE is not set: run these tests through pytest tests/test_js_checker.py");
const fx = JSON.parse(fs.readFileSync(fixturePath, "utf8"));
const vectors = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "vectors.json"), "utf8")).vectors;

// an answer of the wrong shape is compared by its error code and arguments: each checker words
// the message itself (Python with repr, the page with quotation marks)
function plain(r) {
  return { score: r.score, correct: r.correct, valid: r.valid, blank: r.blank, feedback: r.valid ? r.feedback : null,
    error: r.error || null, pending: Boolean(r.pending), parts: r.parts.map((p) => ({ id: p.id, correct: p.correct, feedback: p.feedback })) };
}
// a sealed spec lists the parts of matching and categorisation in sorted order (not the bank's)
const byId = (r) => Object.assign({}, r, { parts: r.parts.slice().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) });
function eachCodePoint(ranges, fn) {
  for (const [a, b] of ranges) for (let cp = a; cp <= b; cp++) fn(cp);
}
function inRanges(ranges) {
  const set = new Set();
  eachCodePoint(ranges, (cp) => set.add(cp));
  return set;
}
function collect(failures, limit = 20) {
  assert.equal(failures.length, 0, failures.length + " mismatches, e.g.:\n" + failures.slice(0, limit).map((f) => JSON.stringify(f)).join("\n"));
}

test("sha256 matches hashlib on every length", () => {
  const failures = [];
  for (const [input, digest] of fx.sha256) {
    const got = ex.hex(ex.sha256(Uint8Array.from(Buffer.from(input, "hex"))));
    if (got !== digest) failures.push({ length: input.length / 2, got, digest });
  }
  collect(failures);
});

test("every vector of tests/vectors.json", () => {
  const failures = [];
  for (const v of vectors) {
    const html = fx.feedback[v.exercise] || {};
    const want = { score: v.score, correct: v.correct, valid: v.valid, blank: v.blank, feedback: v.valid ? v.feedback : null,
      error: v.error || null, pending: Boolean(v.pending), parts: v.parts.map((p) => ({ id: p.id, correct: p.correct, feedback: p.feedback ? html[p.feedback] : "" })) };
    const got = plain(ex.checkSealed(fx.specs[v.exercise], v.answer));
    try { assert.deepEqual(byId(got), byId(want)); } catch (e) { failures.push({ vector: v.exercise + ": " + v.name, got, want }); }
  }
  assert.ok(vectors.length >= 100);
  collect(failures);
});

test("explanations: right answers and three attempts unlock, nothing else does", () => {
  const failures = [];
  for (const v of vectors) {
    const spec = fx.specs[v.exercise], want = fx.explanations[v.exercise];
    const got = ex.explanationFor(spec, v.answer, 0);
    if (v.correct ? got !== want : got !== null) failures.push({ vector: v.exercise + ": " + v.name, got });
    if (ex.explanationFor(spec, null, 2) !== null) failures.push({ vector: v.exercise, after: 2 });
    if (ex.explanationFor(spec, null, 3) !== want) failures.push({ vector: v.exercise, after: 3 });
    const course = fx.specs[v.exercise + "@course"];
    if (ex.explanationFor(course, v.answer, 99) !== null) failures.push({ vector: v.exercise, course: true });
  }
  collect(failures);
});

test("arbitrary answers: same results as checking.check_sealed", () => {
  const failures = [];
  for (const c of fx.cases) {
    const spec = fx.specs[c.spec];
    const got = plain(ex.checkSealed(spec, c.answer));
    try { assert.deepEqual(got, plain(c.result)); } catch (e) { failures.push({ spec: c.spec, answer: c.answer, got, want: c.result }); }
    const expl = ex.explanationFor(spec, c.answer, c.attempts);
    if (expl !== c.explanation) failures.push({ spec: c.spec, answer: c.answer, attempts: c.attempts, explanation: expl, want: c.explanation });
  }
  assert.ok(fx.cases.length >= 1000);
  collect(failures);
});

test("written answers: the same texts open on submission as checking.submitted_texts", () => {
  const failures = [];
  let opened = 0, pending = 0;
  for (const c of fx.cases) {
    const spec = fx.specs[c.spec];
    if (spec.type !== "written") continue;
    const got = ex.submittedTexts(spec, c.answer);
    try { assert.deepEqual(got, c.submitted); } catch (e) { failures.push({ spec: c.spec, answer: c.answer, got, want: c.submitted }); }
    if (got) opened += 1;
    if (c.result.pending) pending += 1;
  }
  assert.ok(opened >= 50 && pending >= 50, opened + " opened, " + pending + " pending");
  collect(failures);
});

test("parse_number: same numbers and the same error codes", () => {
  const failures = [];
  for (const [text, number, error] of fx.numbers) {
    let got, err = null;
    try { got = ex.parseNumber(text); } catch (e) { err = { code: e.code, args: e.args }; got = null; }
    try { assert.deepEqual([got, err], [number, error]); } catch (e) { failures.push({ text, got, number, err, error }); }
  }
  collect(failures);
});

const U = fx.unicode;

test("whitespace matches str.isspace", () => {
  const space = inRanges(U.space), failures = [];
  for (let cp = 0; cp < 0x110000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    if ((ex.pyStrip("x" + ch) === "x") !== space.has(cp)) failures.push(cp.toString(16));
  }
  collect(failures);
});

test("word and digit characters match Python's re", () => {
  const word = inRanges(U.word), failures = [];
  eachCodePoint(U.assigned, (cp) => {
    if (ex.isWord(String.fromCodePoint(cp)) !== word.has(cp)) failures.push(["word", cp.toString(16)]);
  });
  const digits = new Map(U.digit);
  eachCodePoint(U.assigned, (cp) => {
    const ch = String.fromCodePoint(cp), isDigit = /^\p{Nd}$/u.test(ch);
    if (isDigit !== digits.has(cp)) failures.push(["digit", cp.toString(16)]);
    else if (isDigit && ex.digitValue(ch) !== digits.get(cp)) failures.push(["value", cp.toString(16)]);
  });
  collect(failures);
});

test("combining classes match unicodedata.combining", () => {
  const combining = inRanges(U.combining), failures = [];
  eachCodePoint(U.assigned, (cp) => {
    const ch = String.fromCodePoint(cp);
    if (ch.normalize("NFD") !== ch) return;  // never seen after NFKD
    if (ex.isCombining(ch) !== combining.has(cp)) failures.push(cp.toString(16));
  });
  collect(failures);
});

test("normalise_text matches on every assigned code point", () => {
  const special = new Map(U.normalise_ab), failures = [];
  eachCodePoint(U.assigned, (cp) => {
    const want = special.has(cp) ? special.get(cp) : "a b";
    const got = ex.normaliseText("a" + String.fromCodePoint(cp) + "b");
    if (got !== want) failures.push([cp.toString(16), got, want]);
  });
  collect(failures);
});
