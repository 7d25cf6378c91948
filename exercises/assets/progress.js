/* Progress for the course site: remembers, in this browser only, how often each exercise was
 * checked and whether it was completed, and shows it on the "My progress" page.
 *
 * - Listens on `document` for the `exercise:checked` event that the exercise script dispatches
 *   after every check (detail: {id, chapter, objectives, score, points, correct, attempts}).
 * - Stores one record per exercise in localStorage under a key named for this book (so two books
 *   on one host do not mix). Nothing is ever sent anywhere.
 * - A written exercise (marked by a person; record.manual) also keeps the student's text (`text`,
 *   `saved`: from the `exercise:draft` event, sent as they type), the time of the last submission
 *   (`submitted`) and their own marking (`self`: {criterion: level index}, `self_score` once every
 *   criterion is scored, `assessed`: from `exercise:self-assessed`). All these fields are optional,
 *   so files exported before written exercises existed still import; after a reload the exercise
 *   card gets its record back (its `exerciseRestore`, set by exercises.js).
 * - On the progress page (the element [data-progress-root], made by exercises/site/progress.py), shows
 *   completion per chapter, objective and exercise, and offers export to a JSON file, import from
 *   one (validated: a bad file changes nothing and says why) and reset.
 * - Works from file:// and with no network: no request is made.
 */
(function () {
  "use strict";

  var FORMAT = "exercises.progress/1";
  var ID_RE = /^[A-Za-z][A-Za-z0-9_]*$/;
  var CRITERION_RE = /^[a-z0-9][a-z0-9_-]*$/;
  var MAX_IMPORT_BYTES = 5 * 1024 * 1024;

  function meta(name, fallback) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return (el && el.getAttribute("content")) || fallback;
  }

  var SITE = meta("exercises-site", "default");
  var KEY = FORMAT + " " + SITE;

  // --- storage -------------------------------------------------------------------------------

  function emptyStore() {
    return { format: FORMAT, site: SITE, exercises: {} };
  }

  function storageAvailable() {
    try {
      var probe = KEY + " probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return true;
    } catch (e) {
      return false;
    }
  }

  function load() {
    var raw;
    try {
      raw = window.localStorage.getItem(KEY);
    } catch (e) {
      return emptyStore();
    }
    if (!raw) return emptyStore();
    try {
      var data = JSON.parse(raw);
      if (validate(data).length === 0) return data;
    } catch (e) { /* not JSON: set aside below */ }
    // A damaged record is set aside under its own key, never silently thrown away.
    try {
      window.localStorage.setItem(KEY + " damaged", raw);
      window.localStorage.removeItem(KEY);
    } catch (e) { /* storage full or blocked: leave it where it is */ }
    return emptyStore();
  }

  function save(store) {
    store.updated = new Date().toISOString();
    window.localStorage.setItem(KEY, JSON.stringify(store));
  }

  // --- validation (import files and stored data) ----------------------------------------------

  function isWhole(n) { return typeof n === "number" && isFinite(n) && Math.floor(n) === n && n >= 0; }
  function isNum(n) { return typeof n === "number" && isFinite(n) && n >= 0; }
  function isTime(s) { return typeof s === "string" && !isNaN(Date.parse(s)); }
  function show(v) {
    var s;
    try { s = JSON.stringify(v); } catch (e) { s = String(v); }
    if (s === undefined) s = String(v);
    return s.length > 40 ? s.slice(0, 37) + "..." : s;
  }

  /* Problems with a progress object, one readable sentence each; [] when it is valid. */
  function validate(data) {
    var out = [];
    if (data === null || typeof data !== "object" || Array.isArray(data)) {
      return ["the file holds " + show(data) + ", not a progress record (an object)"];
    }
    if (data.format !== FORMAT) {
      return ['"format" is ' + show(data.format) + ', not "' + FORMAT + '": this is not a progress export of this book'];
    }
    if (typeof data.site !== "string") out.push('"site" must be text');
    var exs = data.exercises;
    if (exs === null || typeof exs !== "object" || Array.isArray(exs)) {
      out.push('"exercises" must be an object of exercise records');
      return out;
    }
    Object.keys(exs).forEach(function (id) {
      var r = exs[id];
      var at = 'exercises["' + id + '"]';
      if (!ID_RE.test(id)) { out.push(at + ": " + show(id) + " is not an exercise id"); return; }
      if (r === null || typeof r !== "object" || Array.isArray(r)) { out.push(at + " must be an object"); return; }
      if (!isWhole(r.attempts)) out.push(at + ".attempts must be a whole number of 0 or more, not " + show(r.attempts));
      if (!isNum(r.best)) out.push(at + ".best must be a number of 0 or more, not " + show(r.best));
      if (r.points !== undefined && !(isNum(r.points) && r.points > 0)) out.push(at + ".points must be a number above 0, not " + show(r.points));
      if (isNum(r.best) && isNum(r.points) && r.best > r.points) out.push(at + ".best (" + r.best + ") is more than its points (" + r.points + ")");
      if (typeof r.completed !== "boolean") out.push(at + ".completed must be true or false, not " + show(r.completed));
      if (r.chapter !== undefined && typeof r.chapter !== "string") out.push(at + ".chapter must be text");
      if (r.objectives !== undefined && !(Array.isArray(r.objectives) && r.objectives.every(function (o) { return typeof o === "string"; }))) {
        out.push(at + ".objectives must be a list of objective ids");
      }
      if (r.manual !== undefined && typeof r.manual !== "boolean") out.push(at + ".manual must be true or false, not " + show(r.manual));
      if (r.text !== undefined && typeof r.text !== "string") out.push(at + ".text must be text, not " + show(r.text));
      if (r.self !== undefined && !(r.self !== null && typeof r.self === "object" && !Array.isArray(r.self) &&
          Object.keys(r.self).every(function (c) { return CRITERION_RE.test(c) && isWhole(r.self[c]); }))) {
        out.push(at + ".self must map rubric criteria to level numbers, not " + show(r.self));
      }
      if (r.self_score !== undefined && !isNum(r.self_score)) out.push(at + ".self_score must be a number of 0 or more, not " + show(r.self_score));
      if (isNum(r.self_score) && isNum(r.points) && r.self_score > r.points) out.push(at + ".self_score (" + r.self_score + ") is more than its points (" + r.points + ")");
      ["first", "last", "saved", "submitted", "assessed"].forEach(function (k) {
        if (r[k] !== undefined && !isTime(r[k])) out.push(at + "." + k + " must be a date and time, not " + show(r[k]));
      });
    });
    return out;
  }

  function later(x, y) { return Boolean(x) && (!y || Date.parse(x) > Date.parse(y)); }

  /* Merge `incoming` into `store`, keeping the better of each record (so importing the same file
   * twice, or a file exported from this browser, changes nothing). */
  function merge(store, incoming) {
    var n = 0;
    Object.keys(incoming.exercises).forEach(function (id) {
      var a = store.exercises[id];
      var b = incoming.exercises[id];
      n += 1;
      if (!a) { store.exercises[id] = JSON.parse(JSON.stringify(b)); return; }
      a.attempts = Math.max(a.attempts, b.attempts);
      a.best = Math.max(a.best, b.best);
      a.completed = a.completed || b.completed;
      if (b.points !== undefined) a.points = b.points;
      if (b.chapter !== undefined && a.chapter === undefined) a.chapter = b.chapter;
      if (b.objectives !== undefined && a.objectives === undefined) a.objectives = b.objectives;
      if (b.first && (!a.first || Date.parse(b.first) < Date.parse(a.first))) a.first = b.first;
      if (b.last && (!a.last || Date.parse(b.last) > Date.parse(a.last))) a.last = b.last;
      // a written answer: the later text and the later self-assessment win
      if (b.manual) a.manual = true;
      if (b.text !== undefined && (a.text === undefined || later(b.saved, a.saved))) { a.text = b.text; a.saved = b.saved; }
      if (b.submitted && (!a.submitted || later(b.submitted, a.submitted))) a.submitted = b.submitted;
      if (b.self !== undefined && (a.self === undefined || later(b.assessed, a.assessed))) {
        a.self = JSON.parse(JSON.stringify(b.self));
        a.assessed = b.assessed;
        if (b.self_score === undefined) delete a.self_score; else a.self_score = b.self_score;
      }
      Object.keys(a).forEach(function (k) { if (a[k] === undefined) delete a[k]; });
    });
    return n;
  }

  // --- recording checks ------------------------------------------------------------------------

  // The exercise script counts attempts per page visit and does not count a blank or invalid
  // answer; an event whose count did not grow is such a check, and is not an attempt here either.
  var seenAttempts = {};

  function record(detail) {
    if (!detail || typeof detail.id !== "string" || !ID_RE.test(detail.id)) return null;
    var store = load();
    var now = new Date().toISOString();
    var r = store.exercises[detail.id] || { attempts: 0, best: 0, completed: false };
    var score = Number(detail.score);
    var points = Number(detail.points);
    var counted = true;
    if (typeof detail.attempts === "number") {
      counted = detail.attempts > (seenAttempts[detail.id] || 0);
      seenAttempts[detail.id] = Math.max(detail.attempts, seenAttempts[detail.id] || 0);
    }
    if (!counted && !store.exercises[detail.id]) return null;
    if (counted) r.attempts += 1;
    if (!r.first) r.first = now;
    if (isNum(score)) r.best = Math.max(r.best, score);
    if (isNum(points) && points > 0) r.points = points;
    if (isNum(r.points) && r.best > r.points) r.best = r.points;
    r.completed = r.completed || detail.correct === true;
    if (typeof detail.chapter === "string") r.chapter = detail.chapter;
    if (Array.isArray(detail.objectives)) r.objectives = detail.objectives.filter(function (o) { return typeof o === "string"; });
    r.last = now;
    if (detail.pending === true && counted) {  // a written answer, submitted: kept with its text
      r.manual = true;
      r.submitted = now;
      if (typeof detail.text === "string") { r.text = detail.text; r.saved = now; }
    }
    store.exercises[detail.id] = r;
    try {
      save(store);
    } catch (e) {
      return null;
    }
    return r;
  }

  /* A written exercise's draft text or own marking changed: keep it in its record (made here
   * if this is the first the browser hears of the exercise; attempts count submissions only). */
  function keep(detail, change) {
    if (!detail || typeof detail.id !== "string" || !ID_RE.test(detail.id)) return null;
    var store = load();
    var r = store.exercises[detail.id] || { attempts: 0, best: 0, completed: false };
    var points = Number(detail.points);
    r.manual = true;
    if (isNum(points) && points > 0) r.points = points;
    if (typeof detail.chapter === "string") r.chapter = detail.chapter;
    if (Array.isArray(detail.objectives)) r.objectives = detail.objectives.filter(function (o) { return typeof o === "string"; });
    change(r, new Date().toISOString());
    store.exercises[detail.id] = r;
    try {
      save(store);
    } catch (e) {
      return null;
    }
    return r;
  }

  function keepDraft(detail) {
    return keep(detail, function (r, now) {
      if (typeof detail.text === "string") { r.text = detail.text; r.saved = now; }
    });
  }

  function keepOwnMarks(detail) {
    return keep(detail, function (r, now) {
      var own = {};
      Object.keys(detail.self || {}).forEach(function (c) { if (CRITERION_RE.test(c) && isWhole(detail.self[c])) own[c] = detail.self[c]; });
      r.self = own;
      r.assessed = now;
      var score = detail.score;
      if (isNum(score)) r.self_score = isNum(r.points) ? Math.min(score, r.points) : score;
      else delete r.self_score;
    });
  }

  // --- a note under each exercise on chapter pages ----------------------------------------------

  function progressPageUrl() {
    var root = document.documentElement.getAttribute("data-content_root") || "";
    var page = meta("exercises-progress-page", "");
    return page ? root + page : "";
  }

  function noteText(r) {
    if (!r) return "";
    if (r.manual) {
      if (!r.submitted) return "Draft saved, not submitted yet.";
      return "Submitted" + (isNum(r.self_score) ? "; self-assessed " + num(r.self_score) + " of " + num(r.points) + " points."
        : "; not self-assessed yet.");
    }
    var tries = r.attempts === 1 ? "1 attempt" : r.attempts + " attempts";
    return r.completed ? "Completed (" + tries + ")." : "Tried, not completed yet (" + tries + ").";
  }

  function updateNote(id, r) {
    var ex = document.getElementById(id);
    if (!ex || !ex.matches || !ex.matches(".exercise[data-exercise]")) return;
    var note = ex.nextElementSibling;
    if (!note || !note.classList.contains("exercise-progress-note")) {
      if (!r) return;
      note = document.createElement("p");
      note.className = "exercise-progress-note";
      ex.insertAdjacentElement("afterend", note);
    }
    note.textContent = "Your record in this browser: " + noteText(r) + " ";
    var url = progressPageUrl();
    if (url) {
      var a = document.createElement("a");
      a.href = url;
      a.textContent = "My progress";
      note.appendChild(a);
    }
  }

  // After a reload the card's "Attempts:" continues from this browser's record (as the note under
  // it does) instead of starting again at 0; exercises.js keeps its count in root.exerciseState.
  function num(x) { return String(Math.round(x * 100) / 100); }

  function continueCount(ex, attempts) {
    var state = ex.exerciseState, count = ex.querySelector(".exercise-attempt-count");
    if (!state || !count || !(attempts > state.attempts)) return;
    state.attempts = attempts;
    count.textContent = String(attempts);
  }

  function annotateExercises() {
    var store = load();
    var nodes = document.querySelectorAll(".exercise[data-exercise]");
    for (var i = 0; i < nodes.length; i++) {
      var id = nodes[i].getAttribute("data-exercise");
      if (store.exercises[id]) {
        updateNote(nodes[i].id, store.exercises[id]);
        continueCount(nodes[i], store.exercises[id].attempts);
        if (typeof nodes[i].exerciseRestore === "function") nodes[i].exerciseRestore(store.exercises[id]);
      }
    }
  }

  // --- the progress page -----------------------------------------------------------------------

  function ProgressPage(root) {
    this.root = root;
    var payload = root.querySelector("script[data-progress-index]");
    this.index = JSON.parse(payload.textContent);
    this.message = root.querySelector("[data-progress-message]");
    this.error = root.querySelector("[data-progress-error]");
  }

  ProgressPage.prototype.say = function (text) {
    this.error.textContent = "";
    this.message.textContent = text;
  };

  ProgressPage.prototype.fail = function (text) {
    this.message.textContent = "";
    this.error.textContent = text;
  };

  ProgressPage.prototype.render = function () {
    var store = load();
    var all = { done: 0, tried: 0, submitted: 0, assessed: 0, score: 0, of: 0 };
    var root = this.root;
    function setAll(scope, attr, value) {
      var els = scope.querySelectorAll(":scope [" + attr + "]");
      for (var i = 0; i < els.length; i++) els[i].textContent = String(value);
    }
    this.index.chapters.forEach(function (ch) {
      var section = root.querySelector('[data-progress-chapter="' + ch.id + '"]');
      var done = 0, tried = 0, own = { submitted: 0, assessed: 0, score: 0, of: 0 }, manual = {};
      ch.exercises.forEach(function (ex) {
        var r = store.exercises[ex.id];
        var row = section.querySelector('[data-progress-exercise="' + ex.id + '"]');
        if (ex.manual) {  // written: the student's own marking, apart from the checked scores
          var assessed = Boolean(r && r.submitted && isNum(r.self_score));
          manual[ex.id] = assessed;
          if (r && r.submitted) own.submitted += 1;
          if (assessed) { own.assessed += 1; own.score += r.self_score; own.of += ex.points; }
          row.querySelector("[data-progress-state]").textContent = !r || (!r.submitted && !r.text) ? "Not started"
            : !r.submitted ? "Draft saved" : assessed ? "Self-assessed" : "Submitted, not self-assessed";
          row.querySelector("[data-progress-attempts]").textContent = String(r ? r.attempts : 0);
          row.querySelector("[data-progress-self]").textContent = assessed ? num(r.self_score) : "\u2013";
          row.setAttribute("data-state", assessed ? "done" : r && r.submitted ? "tried" : "new");
          return;
        }
        if (r && r.completed) done += 1;
        if (r && r.attempts > 0) tried += 1;
        row.querySelector("[data-progress-state]").textContent =
          !r || r.attempts === 0 ? "Not tried" : (r.completed ? "Completed" : "Tried, not completed");
        row.querySelector("[data-progress-attempts]").textContent = String(r ? r.attempts : 0);
        row.querySelector("[data-progress-best]").textContent = String(r ? Math.round(r.best * 100) / 100 : 0);
        row.setAttribute("data-state", !r || r.attempts === 0 ? "new" : (r.completed ? "done" : "tried"));
      });
      var summary = section.querySelector(".exercise-progress-summary");
      setAll(summary, "data-progress-done", done);
      setAll(summary, "data-progress-tried", tried);
      var bar = section.querySelector("[data-progress-bar]");
      if (bar) bar.value = done;
      showOwn(section, own);
      ch.objectives.forEach(function (obj) {
        var row = section.querySelector('[data-progress-objective="' + obj.id + '"]');
        var n = obj.exercises.filter(function (id) { return !(id in manual) && store.exercises[id] && store.exercises[id].completed; }).length;
        row.querySelector("[data-progress-done]").textContent = String(n);
        setAll(row, "data-progress-assessed", obj.exercises.filter(function (id) { return manual[id]; }).length);
      });
      all.done += done;
      all.tried += tried;
      Object.keys(own).forEach(function (k) { all[k] += own[k]; });
    });
    var overall = root.querySelector(".exercise-progress-overall");
    setAll(overall, "data-progress-done", all.done);
    setAll(overall, "data-progress-tried", all.tried);
    showOwn(overall, all);
  };

  // "self-assessed: 7 / 10 points on 2 written exercises", beside the checked scores
  function showOwn(scope, own) {
    var line = scope.querySelector("[data-progress-own]");
    if (!line) return;
    line.querySelector("[data-progress-submitted]").textContent = String(own.submitted);
    line.querySelector("[data-progress-self-assessed]").textContent = own.assessed
      ? num(own.score) + " / " + num(own.of) + " points on " + own.assessed + " written exercise" + (own.assessed === 1 ? "" : "s")
      : "none yet";
  }

  ProgressPage.prototype.exportFile = function () {
    var store = load();
    store.exported = new Date().toISOString();
    var text = JSON.stringify(store, null, 2) + "\n";
    var name = "my-progress-" + store.exported.slice(0, 10) + ".json";
    var url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    var n = Object.keys(store.exercises).length;
    this.say("Saved " + n + " exercise record" + (n === 1 ? "" : "s") + " to the file " + name + " (look in your downloads).");
  };

  ProgressPage.prototype.importText = function (name, text) {
    var data;
    try {
      data = JSON.parse(text);
    } catch (e) {
      this.fail("Nothing was imported: " + name + " is not a JSON file (" + e.message + ").");
      return false;
    }
    var problems = validate(data);
    if (problems.length) {
      var more = problems.length > 3 ? " (and " + (problems.length - 3) + " more problems)" : "";
      this.fail("Nothing was imported: " + name + " is not a valid progress file: " + problems.slice(0, 3).join("; ") + more + ".");
      return false;
    }
    if (data.site !== SITE) {
      this.fail("Nothing was imported: " + name + " was exported from another book (" + data.site + "), not this one (" + SITE + ").");
      return false;
    }
    var store = load();
    var n = merge(store, data);
    try {
      save(store);
    } catch (e) {
      this.fail("Nothing was imported: this browser would not store the records (" + e.message + ").");
      return false;
    }
    this.render();
    this.say("Imported " + n + " exercise record" + (n === 1 ? "" : "s") + " from " + name +
             ". Where this browser already had a record, the better of the two was kept.");
    return true;
  };

  ProgressPage.prototype.importFile = function (input) {
    var self = this;
    var file = input.files && input.files[0];
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) {
      self.fail("Nothing was imported: " + file.name + " is too large to be a progress file (" + file.size + " bytes).");
      input.value = "";
      return;
    }
    var reader = new FileReader();
    reader.onload = function () { self.importText(file.name, String(reader.result)); input.value = ""; };
    reader.onerror = function () { self.fail("Nothing was imported: " + file.name + " could not be read."); input.value = ""; };
    reader.readAsText(file);
  };

  ProgressPage.prototype.wire = function () {
    var self = this, root = this.root;
    var reset = root.querySelector("[data-progress-reset]");
    var confirmBox = root.querySelector("[data-progress-reset-confirm]");
    function closeConfirm() {
      confirmBox.hidden = true;
      reset.setAttribute("aria-expanded", "false");
      reset.focus();
    }
    root.querySelector("[data-progress-export]").addEventListener("click", function () { self.exportFile(); });
    root.querySelector("[data-progress-import]").addEventListener("change", function (e) { self.importFile(e.target); });
    reset.addEventListener("click", function () {
      confirmBox.hidden = false;
      reset.setAttribute("aria-expanded", "true");
      root.querySelector("[data-progress-reset-no]").focus();
    });
    root.querySelector("[data-progress-reset-no]").addEventListener("click", function () {
      closeConfirm();
      self.say("Nothing was deleted.");
    });
    root.querySelector("[data-progress-reset-yes]").addEventListener("click", function () {
      try {
        window.localStorage.removeItem(KEY);
      } catch (e) { /* storage unavailable: nothing to delete */ }
      self.render();
      closeConfirm();
      self.say("Your progress has been deleted from this browser.");
    });
    window.addEventListener("storage", function (e) { if (e.key === KEY) self.render(); });
    if (!storageAvailable()) {
      self.fail("This browser does not let this site keep data (private browsing or blocked storage), so your progress cannot be saved here.");
    }
  };

  // --- start -----------------------------------------------------------------------------------

  [["exercise:checked", record], ["exercise:draft", keepDraft], ["exercise:self-assessed", keepOwnMarks]].forEach(function (on) {
    document.addEventListener(on[0], function (event) {
      var r = on[1](event.detail);
      if (r) updateNote(event.detail.id, r);
      if (page) page.render();
    });
  });

  var page = null;

  function start() {
    var root = document.querySelector("[data-progress-root]");
    if (root) {
      page = new ProgressPage(root);
      page.wire();
      page.render();
    }
    annotateExercises();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }

  // For the tests and for curious readers' consoles; the page itself does not need it.
  window.exerciseProgress = { key: KEY, load: load, validate: validate, merge: merge };
})();
