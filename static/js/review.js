// Topic review without reloading. The page's forms post a decision to tag_decide and come
// back to the next item; with this script the decision is posted with fetch() (the form's
// own CSRF token, Accept: application/json) and the item shows its new state with an
// "Undo" button, announced in the page's status line (aria-live). Keys: j / k move between
// items, a confirms, r rejects, u undoes the last decision (it posts the state the tag had
// before, through the same endpoint). Keys are ignored while typing in a field.
(function () {
  "use strict";
  const list = document.getElementById("review-list");
  if (!list) return;
  const status = document.getElementById("review-status");
  const help = document.getElementById("review-keys");
  const bulk = document.getElementById("review-bulk");
  const decisions = []; // {item, previous}, the last one last
  let current = null;
  let busy = false;

  help.hidden = false;

  function items() {
    return Array.from(list.querySelectorAll(".review-item"));
  }

  function mark(item, focus) {
    if (!item) return;
    if (current) current.classList.remove("is-current");
    current = item;
    item.classList.add("is-current");
    if (focus) item.focus();
  }

  function move(step) {
    const all = items();
    let at = all.indexOf(current);
    if (at < 0) at = step > 0 ? -1 : all.length;
    mark(all[Math.max(0, Math.min(all.length - 1, at + step))], true);
  }

  function nextWaiting(item) {
    const all = items();
    const after = all.slice(all.indexOf(item) + 1).concat(all.slice(0, all.indexOf(item)));
    return after.find((other) => other.dataset.state === "suggested") || item;
  }

  function recount() {
    if (!bulk) return;
    const waiting = items().filter((item) => item.dataset.state === "suggested").length;
    const button = bulk.querySelector("button");
    const label = waiting === 1 ? button.dataset.one : button.dataset.other;
    button.textContent = label.replace("%(count)s", String(waiting));
    bulk.hidden = waiting === 0;
  }

  async function post(item, state) {
    const form = item.querySelector("form.review-decide");
    const data = new FormData(form);
    data.set("state", state);
    const response = await fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    let answer = null;
    try {
      answer = await response.json();
    } catch (error) {
      answer = null;
    }
    if (!response.ok || !answer || answer.error) {
      throw new Error((answer && answer.error) || list.dataset.failed);
    }
    return answer;
  }

  function show(item, answer) {
    const form = item.querySelector("form.review-decide");
    const outcome = item.querySelector(".review-outcome");
    item.dataset.state = answer.state;
    item.classList.remove("is-confirmed", "is-rejected");
    outcome.replaceChildren();
    if (answer.state === "suggested") {
      form.hidden = false;
      outcome.hidden = true;
    } else {
      item.classList.add("is-" + answer.state);
      const label = document.createElement("strong");
      label.textContent = answer.label;
      const undo = document.createElement("button");
      undo.type = "button";
      undo.className = "review-undo";
      undo.textContent = list.dataset.undo;
      undo.addEventListener("click", () => undoItem(item, false));
      outcome.append(label, " ", undo);
      form.hidden = true;
      outcome.hidden = false;
    }
    recount();
  }

  async function decide(item, state, byKey) {
    if (busy || !item || item.dataset.state !== "suggested") return;
    busy = true;
    try {
      const answer = await post(item, state);
      decisions.push({ item: item, previous: answer.previous });
      show(item, answer);
      status.textContent = answer.message + " " + list.dataset.undoHint;
      if (byKey) {
        mark(nextWaiting(item), true);
      } else {
        mark(item, false);
        item.querySelector(".review-undo").focus();
      }
    } catch (error) {
      status.textContent = error.message;
    } finally {
      busy = false;
    }
  }

  async function undoItem(item, byKey) {
    let at = -1;
    for (let i = decisions.length - 1; i >= 0; i -= 1) {
      if (decisions[i].item === item) {
        at = i;
        break;
      }
    }
    if (busy || at < 0) return;
    busy = true;
    try {
      const answer = await post(item, decisions[at].previous);
      decisions.splice(at, 1);
      show(item, answer);
      status.textContent = answer.message;
      mark(item, true);
      if (!byKey) item.querySelector(".review-confirm").focus();
    } catch (error) {
      status.textContent = error.message;
    } finally {
      busy = false;
    }
  }

  list.addEventListener("submit", (event) => {
    const item = event.target.closest(".review-item");
    const button = event.submitter;
    if (!item || !button || !button.value) return;
    event.preventDefault();
    decide(item, button.value, false);
  });

  list.addEventListener("focusin", (event) => {
    const item = event.target.closest(".review-item");
    if (item && item !== current) mark(item, false);
  });

  function typing(target) {
    return (
      target instanceof HTMLElement &&
      (target.isContentEditable || target.closest("input, textarea, select") !== null)
    );
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const actions = {
      j: () => move(1),
      k: () => move(-1),
      a: () => decide(current, "confirmed", true),
      r: () => decide(current, "rejected", true),
      u: () => decisions.length && undoItem(decisions[decisions.length - 1].item, true),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });

  mark(items()[0], false);
})();
