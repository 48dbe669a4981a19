// Kiosk: one ticket per touch, and a half-filled form goes back to its clean state when left alone.
(function () {
  "use strict";

  var IDLE_RESET_MS = 60000;
  var form = document.querySelector("[data-kiosk-form]");
  if (!form) return;

  form.addEventListener("submit", function (event) {
    if (form.classList.contains("busy")) {
      event.preventDefault();
      return;
    }
    form.classList.add("busy");
  });
  window.addEventListener("pageshow", function () {
    form.classList.remove("busy");
  });

  var idleTimer;
  function resetLater() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(function () {
      form.reset();
      var normal = form.querySelector('input[name="priority"][value="normal"]');
      if (normal) normal.checked = true;
      var phone = form.querySelector('input[name="phone"]');
      if (phone) phone.value = "";
      form.querySelectorAll(".kiosk-error").forEach(function (error) { error.remove(); });
    }, IDLE_RESET_MS);
  }
  ["pointerdown", "keydown", "input"].forEach(function (name) {
    document.addEventListener(name, resetLater);
  });
  resetLater();
})();
