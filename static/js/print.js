// The citation sheet's Print button (no inline handlers: the Content-Security-Policy
// allows scripts from Baggrund's own files only).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () {
    window.print();
  });
});
