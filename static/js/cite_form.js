// The cite form: show "Text of the new note" only while a new note is the target.
// Text already typed there is never hidden (the server refuses the ambiguous form and
// keeps it); without this script both fields show and the server does the same.
(function () {
  "use strict";
  const form = document.querySelector("form.cite-form");
  if (!form) return;
  const target = form.querySelector("select[name=target]");
  const field = form.querySelector(".new-note-field");
  const text = field && field.querySelector("textarea");
  if (!target || !field || !text) return;
  function update() {
    const isNew = target.value.startsWith("new:");
    field.hidden = !isNew && !text.value.trim();
  }
  target.addEventListener("change", update);
  text.addEventListener("input", update);
  update();
})();
