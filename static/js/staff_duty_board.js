// Duty board: "Done" swaps the list with htmx; say so when the network or the server failed.
(function () {
  "use strict";

  var texts = document.getElementById("duty-errors");

  function tell(text) {
    var notice = document.querySelector("#duty-list .duty-notice");
    if (!notice || !text) return;
    var message = document.createElement("p");
    message.className = "message message-error";
    message.setAttribute("role", "alert");
    message.textContent = text;
    notice.replaceChildren(message);
  }

  function isPost(event) {
    return (event.detail.requestConfig || {}).verb === "post";
  }

  if (texts) {
    // A failed background refresh says nothing: the next one will try again.
    document.body.addEventListener("htmx:sendError", function (event) {
      if (isPost(event)) tell(texts.dataset.offline);
    });
    document.body.addEventListener("htmx:responseError", function (event) {
      if (isPost(event)) tell(event.detail.xhr.status === 403 ? texts.dataset.forbidden : texts.dataset.failed);
    });
  }

  // The minute's refresh waits while someone is typing or has a button in hand in the list.
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt.id === "duty-list" && document.querySelector("#duty-list :focus")) event.preventDefault();
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.matches(".calendar-link input[readonly]")) event.target.select();
  });
})();
