// A record's page whose action forms swap its panel with htmx (repair order, complaint): say so in the
// panel's notice when the network or the server failed, since htmx itself shows nothing then.
(function () {
  "use strict";

  var texts = document.getElementById("action-errors");
  if (!texts) return;

  function tell(text) {
    var notice = document.querySelector(texts.dataset.notice);
    if (!notice) return;
    var message = document.createElement("p");
    message.className = "message message-error";
    message.setAttribute("role", "alert");
    message.textContent = text;
    notice.replaceChildren(message);
  }

  document.body.addEventListener("htmx:sendError", function () {
    tell(texts.dataset.offline);
  });
  document.body.addEventListener("htmx:responseError", function (event) {
    tell(event.detail.xhr.status === 403 ? texts.dataset.forbidden : texts.dataset.failed);
  });
})();
