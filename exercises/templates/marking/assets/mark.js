// The marking page: a level is a click or a number key, saved at once; a comment is saved when
// the marker leaves it. A mark somebody else saved in between is shown, never overwritten.
(function () {
  "use strict";
  const page = document.getElementById("response");
  if (!page) return;
  const criteria = Array.from(document.querySelectorAll("fieldset.criterion"));
  const statusEl = document.getElementById("status");
  const errorEl = document.getElementById("error");
  let active = Math.max(0, criteria.findIndex((c) => c.dataset.level === ""));

  function highlight(i) {
    active = (i + criteria.length) % criteria.length;
    criteria.forEach((c, j) => c.classList.toggle("active", j === active));
    criteria[active].scrollIntoView({block: "nearest"});
  }

  function showError(text) {
    errorEl.textContent = text;
    errorEl.hidden = !text;
  }

  function press(fs, level) {
    fs.dataset.level = level === null ? "" : String(level);
    fs.querySelectorAll("button.level").forEach((b) =>
      b.setAttribute("aria-pressed", String(Number(b.dataset.level) === level)));
  }

  async function save(fs, level) {
    const comment = fs.querySelector("textarea.comment").value;
    const body = {response: page.dataset.response, exercise: page.dataset.exercise, criterion: fs.dataset.criterion,
                  level: level, comment: comment, expect: Number(fs.dataset.expect)};
    fs.classList.add("saving");
    let reply, data;
    try {
      reply = await fetch("/mark", {method: "POST", headers: {"Content-Type": "application/json"},
                                    body: JSON.stringify(body), credentials: "same-origin"});
      data = await reply.json();
    } catch (err) {
      fs.classList.remove("saving");
      showError("Not saved: the marking app did not answer (" + err + "). Your level and comment are still on this page; try again.");
      return false;
    }
    fs.classList.remove("saving");
    if (reply.status === 409) {
      fs.dataset.expect = String(data.current.id);
      press(fs, data.current.level);
      fs.querySelector(".who").textContent = "last saved by " + data.current.marker + " at " + data.current.marked;
      showError(data.error + ". Their level is shown now; pick again to replace it.");
      return false;
    }
    if (!reply.ok) {
      showError("Not saved: " + data.error);
      return false;
    }
    showError("");
    fs.dataset.expect = String(data.id);
    press(fs, data.level);
    fs.querySelector(".who").textContent = "last saved by " + data.marker + " at " + data.marked;
    statusEl.textContent = data.reason;
    for (const [k, v] of Object.entries(data.counts)) {
      const el = document.querySelector('[data-count="' + k + '"]');
      if (el) el.textContent = String(v);
    }
    page.dataset.saved = String(Number(page.dataset.saved || 0) + 1);
    return true;
  }

  async function pick(i, level) {
    const fs = criteria[i];
    if (!fs.querySelector('button.level[data-level="' + level + '"]')) return;
    highlight(i);
    if (await save(fs, level) && i + 1 < criteria.length) highlight(i + 1);
  }

  criteria.forEach((fs, i) => {
    fs.querySelectorAll("button.level").forEach((b) =>
      b.addEventListener("click", () => pick(i, Number(b.dataset.level))));
    const box = fs.querySelector("textarea.comment");
    box.addEventListener("focus", () => highlight(i));
    box.addEventListener("change", () => {
      if (fs.dataset.level === "") statusEl.textContent = "The comment on “" +
        fs.querySelector("legend").textContent.trim() + "” is saved with the level you pick.";
      else save(fs, Number(fs.dataset.level));
    });
    fs.querySelectorAll("button.reuse").forEach((b) => b.addEventListener("click", () => {
      box.value = box.value ? box.value + " " + b.textContent : b.textContent;
      box.dispatchEvent(new Event("change"));
    }));
  });

  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const typing = ev.target instanceof HTMLTextAreaElement;
    if (typing) {
      if (ev.key === "Escape") ev.target.blur();
      return;
    }
    if (/^[1-9]$/.test(ev.key)) {
      ev.preventDefault();
      pick(active, Number(ev.key) - 1);
    } else if (ev.key === "ArrowDown") {
      ev.preventDefault();
      highlight(active + 1);
    } else if (ev.key === "ArrowUp") {
      ev.preventDefault();
      highlight(active - 1);
    } else if (ev.key === "c") {
      ev.preventDefault();
      criteria[active].querySelector("textarea.comment").focus();
    } else if (ev.key === "n" || ev.key === "p") {
      const link = document.getElementById(ev.key === "n" ? "next" : "prev");
      if (link) window.location.href = link.href;
    }
  });
  highlight(active);
  page.dataset.ready = "1";
})();
