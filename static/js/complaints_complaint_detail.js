// Complaint: the action forms swap the panel with htmx; say so when the network or the server failed.
(function () {
  "use strict";

  var texts = document.getElementById("complaint-errors");
  if (!texts) return;

  function tell(text) {
    var notice = document.querySelector("#complaint-panel .repair-notice");
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
