// Messages after an action (base.html): each gets a close button, whose × app.css draws
// and whose name is its label. Without script the messages simply stay at the top of
// the page, where app.css keeps them in view.
(function () {
  "use strict";
  var region = document.getElementById("messages");
  if (!region) {
    return;
  }
  var label = region.getAttribute("data-dismiss") || "Dismiss";
  region.querySelectorAll(".message").forEach(function (message) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "message-close";
    button.setAttribute("aria-label", label);
    button.title = label;
    button.addEventListener("click", function () {
      message.remove();
      if (!region.querySelector(".message")) {
        region.remove();
      }
    });
    message.appendChild(button);
  });
})();
