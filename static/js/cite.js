// Cite a selection. When the reader selects words inside one passage (on a bilag page or
// in a search hit's snippet), a "Cite in case…" button appears below the selection. It
// opens the cite page with the passage, the selection's start and end (in UTF-16 units,
// as browsers count) and the selected text, which the server checks against the passage.
// Without this script every passage still has a "Cite in case…" link for the whole text.
(function () {
  "use strict";
  // The settings come from casefiles' part of the page; passages and hits are marked
  // by the library (data-passages) with data-bilag, data-ordinal and data-offset.
  const settings = document.querySelector("[data-cite-url]");
  if (!settings) return;
  const MAX_QUOTE_IN_URL = 1500;
  const button = document.createElement("a");
  button.id = "cite-button";
  button.className = "button primary";
  button.textContent = settings.dataset.citeLabel;
  button.hidden = true;
  button.href = settings.dataset.citeUrl;
  // Keep the selection when the button is pressed.
  button.addEventListener("mousedown", (event) => event.preventDefault());
  document.body.appendChild(button);

  function sourceOf(node) {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    return element ? element.closest("[data-bilag][data-ordinal]") : null;
  }

  function offsetIn(source, node, offset) {
    const range = document.createRange();
    range.setStart(source, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function hide() {
    button.hidden = true;
  }

  function update() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return hide();
    let range = selection.getRangeAt(0);
    const source = sourceOf(range.startContainer);
    if (!source || !source.closest("[data-passages]")) return hide();
    if (source !== sourceOf(range.endContainer)) {
      // A triple click selects the paragraph and ends the range just after it: keep
      // the part inside the passage when nothing but white space lies beyond it.
      const inside = document.createRange();
      inside.setStart(range.startContainer, range.startOffset);
      inside.setEnd(source, source.childNodes.length);
      if (inside.toString().trim() === range.toString().trim()) range = inside;
    }
    if (source !== sourceOf(range.endContainer)) {
      button.textContent = settings.dataset.citeError;
      button.removeAttribute("href");
    } else {
      // A snippet shows "…" before and after the passage's text; those are not cited.
      const text = source.textContent;
      const lead = parseInt(source.dataset.lead || "0", 10);
      const trail = parseInt(source.dataset.trail || "0", 10);
      let start = offsetIn(source, range.startContainer, range.startOffset);
      let end = offsetIn(source, range.endContainer, range.endOffset);
      start = Math.max(start, lead);
      end = Math.min(end, text.length - trail);
      const quote = text.slice(start, end);
      if (!quote.trim()) return hide();
      const base = parseInt(source.dataset.offset || "0", 10);
      const params = new URLSearchParams({
        bilag: source.dataset.bilag,
        ordinal: source.dataset.ordinal,
        start: String(base + start - lead),
        end: String(base + end - lead),
      });
      // The server checks the offsets against the text it has; a long quote is left
      // out of the address (proxies limit its length), the offsets then stand alone.
      if (quote.length <= MAX_QUOTE_IN_URL) params.set("quote", quote);
      button.textContent = settings.dataset.citeLabel;
      button.href = settings.dataset.citeUrl + "?" + params.toString();
    }
    const rect = range.getBoundingClientRect();
    button.style.top = window.scrollY + rect.bottom + 6 + "px";
    button.style.left = window.scrollX + rect.left + "px";
    button.hidden = false;
  }

  let timer = 0;
  document.addEventListener("selectionchange", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 120);
  });
})();
