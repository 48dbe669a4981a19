// Worker's phone page: one tap per button, even on a slow connection while photos upload.
(function () {
  "use strict";

  document.querySelectorAll(".mine-card form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.classList.contains("busy")) {
        event.preventDefault();
        return;
      }
      form.classList.add("busy");
      var button = form.querySelector("button[type='submit']");
      if (button) button.setAttribute("aria-busy", "true");
    });
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll(".mine-card form.busy").forEach(function (form) {
      form.classList.remove("busy");
    });
  });
})();
