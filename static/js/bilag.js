// The bilag page: find words in the bilag, and open folded boilerplate that a link points at.
//
// Find: the box (form[data-bilag-find]) works without this script as a GET form: the
// server marks the words (?find=…) and counts them. With it, the words are marked as they
// are typed, and Enter / the arrow buttons jump from match to match ("3 of 12"); Shift+Enter
// goes back. Marks only wrap the passage's text nodes in <mark class="find">: the text
// itself (textContent, which cite.js counts offsets in) never changes.
(function () {
  "use strict";

  // A link to a passage inside a folded run of boilerplate opens the fold.
  function revealHash() {
    const id = decodeURIComponent(window.location.hash.slice(1));
    const target = id ? document.getElementById(id) : null;
    const folded = target ? target.closest("details:not([open])") : null;
    if (!folded) return;
    folded.open = true;
    target.scrollIntoView();
  }
  window.addEventListener("hashchange", revealHash);
  revealHash();

  const form = document.querySelector("form[data-bilag-find]");
  const list = document.querySelector("[data-passages]");
  if (!form || !list) return;
  const input = form.querySelector("input[type=search]");
  const status = form.querySelector("[data-find-status]");
  const previous = form.querySelector("[data-find-prev]");
  const next = form.querySelector("[data-find-next]");
  const MAX_MATCHES = 5000;
  let hits = []; // per match, its <mark> elements (a match may cross other marks)
  let current = -1;
  let searched = null;

  function say(text) {
    status.textContent = text;
  }

  function unmark() {
    const parents = new Set();
    list.querySelectorAll("mark.find").forEach((mark) => {
      const parent = mark.parentNode;
      parents.add(parent);
      if (mark.classList.length > 1) {
        // A mark the server also gave another meaning (cited, a search's word): keep it.
        mark.classList.remove("find", "current");
        return;
      }
      while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
      parent.removeChild(mark);
    });
    list.querySelectorAll("mark[class='']").forEach((mark) => mark.removeAttribute("class"));
    parents.forEach((parent) => parent.normalize());
    hits = [];
    current = -1;
  }

  function pattern(term) {
    const words = term.split(/\s+/).filter(Boolean);
    const escaped = words.map((w) => w.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&"));
    return new RegExp(escaped.join("\\s+"), "giu");
  }

  function textNodes(element) {
    const nodes = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    let position = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      nodes.push({ node: node, start: position });
      position += node.data.length;
    }
    return nodes;
  }

  // Wrap [start, end) of `element`'s text in marks numbered `index`, node by node.
  function wrap(element, matches) {
    textNodes(element).forEach(({ node, start }) => {
      const end = start + node.data.length;
      const pieces = matches.filter((m) => m.start < end && m.end > start);
      for (let i = pieces.length - 1; i >= 0; i--) {
        const a = Math.max(pieces[i].start, start) - start;
        const b = Math.min(pieces[i].end, end) - start;
        if (b < node.data.length) node.splitText(b);
        const middle = a > 0 ? node.splitText(a) : node;
        const mark = document.createElement("mark");
        mark.className = "find";
        mark.dataset.findIndex = String(pieces[i].index);
        middle.parentNode.insertBefore(mark, middle);
        mark.appendChild(middle);
      }
    });
  }

  function search(term) {
    unmark();
    searched = term;
    form.classList.toggle("is-finding", Boolean(term));
    if (!term) return say("");
    const regex = pattern(term);
    let count = 0;
    list.querySelectorAll(".passage-text").forEach((element) => {
      const matches = [];
      for (const m of element.textContent.matchAll(regex)) {
        if (!m[0].length || count >= MAX_MATCHES) continue;
        matches.push({ start: m.index, end: m.index + m[0].length, index: count++ });
      }
      if (matches.length) wrap(element, matches);
    });
    hits = Array.from({ length: count }, () => []);
    list.querySelectorAll("mark.find").forEach((mark) => {
      hits[Number(mark.dataset.findIndex)].push(mark);
    });
    if (!count) return say(form.dataset.none);
    show(0);
  }

  function show(index) {
    if (!hits.length) return;
    if (current >= 0) hits[current].forEach((mark) => mark.classList.remove("current"));
    current = (index + hits.length) % hits.length;
    const marks = hits[current];
    marks.forEach((mark) => mark.classList.add("current"));
    const folded = marks[0].closest("details:not([open])");
    if (folded) folded.open = true;
    marks[0].scrollIntoView({ block: "center" });
    say(
      form.dataset.of
        .replace("{current}", String(current + 1))
        .replace("{total}", String(hits.length)),
    );
  }

  function term() {
    return input.value.split(/\s+/).filter(Boolean).join(" ");
  }

  function step(delta) {
    if (term() !== searched) return search(term());
    show(current + delta);
  }

  previous.hidden = false;
  next.hidden = false;
  previous.addEventListener("click", () => step(-1));
  next.addEventListener("click", () => step(1));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    step(1);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.shiftKey) {
      event.preventDefault();
      step(-1);
    } else if (event.key === "Escape" && input.value) {
      event.preventDefault();
      input.value = "";
      search("");
    }
  });
  let timer = 0;
  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      if (term() !== searched) search(term());
    }, 250);
  });
  if (term()) search(term());
})();
