// Display board: polls the board endpoint, renders the calls and speaks each new call once, in order.
(function () {
  "use strict";

  var POLL_MS = 1500;
  var MAX_BACKOFF_MS = 15000;
  var FETCH_TIMEOUT_MS = 5000;
  var GAP_MS = 700;
  var root = document.querySelector("[data-board]");
  if (!root) return;
  var apiUrl = root.dataset.apiUrl;
  var windowLabel = document.getElementById("window-label").innerHTML.trim();
  var recallLabel = document.getElementById("recall-label").content.textContent.trim();
  var welcomeLabel = document.getElementById("welcome-label").content.textContent.trim();
  var reconnecting = document.querySelector("[data-reconnecting]");

  // Announcements wait here until spoken; tests and operators can look at both lists.
  var announcer = { queue: [], spoken: [], speaking: false };
  window.boardAnnouncer = announcer;

  function announcementText(call) {
    return "请 " + call.number + " 号到 " + call.counter + " 号窗口";
  }

  // Speech may end without onend (headless browsers, a stuck engine): a timer ends it too.
  function fallbackMs(text) {
    return 2500 + text.length * 350;
  }

  function speak(text, done) {
    var synth = window.speechSynthesis;
    if (!synth || !window.SpeechSynthesisUtterance) return;
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = "zh-CN";
    utterance.rate = 0.9;
    utterance.onend = done;
    utterance.onerror = done;
    try {
      synth.cancel();
      synth.speak(utterance);
    } catch (error) {
      done();
    }
  }

  function pump() {
    if (announcer.speaking || announcer.queue.length === 0) return;
    announcer.speaking = true;
    var text = announcer.queue[0];
    var finished = false;
    var timer;
    function done() {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      announcer.queue.shift();
      announcer.spoken.push(text);
      if (announcer.spoken.length > 100) announcer.spoken.splice(0, announcer.spoken.length - 100);
      announcer.speaking = false;
      setTimeout(pump, GAP_MS);
    }
    timer = setTimeout(done, fallbackMs(text));
    speak(text, done);
  }

  // Rendering

  function cell(text) {
    var td = document.createElement("td");
    td.textContent = text;
    return td;
  }

  function span(className, text) {
    var element = document.createElement("span");
    element.className = className;
    element.textContent = text;
    return element;
  }

  function renderLatest(call, isNew) {
    var latest = document.querySelector("[data-latest]");
    latest.replaceChildren();
    // A board whose last call was transferred away greets again until the next call.
    if (!call) {
      latest.append(span("board-empty", welcomeLabel));
      return;
    }
    latest.append(
      span("board-latest-number", call.number),
      span("board-latest-arrow", "→"),
      span("board-latest-window", windowLabel.replace("{n}", call.counter))
    );
    if (call.recall) latest.append(span("board-recall", recallLabel));
    if (isNew) {
      latest.classList.remove("flash");
      void latest.offsetWidth; // restart the animation
      latest.classList.add("flash");
    }
  }

  function render(data, hasNew) {
    var latest = data.recent_calls.filter(function (call) { return call.id === data.now_calling; })[0];
    renderLatest(latest, hasNew);
    var rows = data.recent_calls.filter(function (call) { return call !== latest; }).map(function (call) {
      var tr = document.createElement("tr");
      var number = cell(call.number);
      if (call.recall) number.append(" ", span("board-recall", recallLabel));
      tr.append(number, cell(call.counter), cell(call.called_at.slice(11, 16)));
      return tr;
    });
    document.querySelector("[data-calls]").replaceChildren.apply(document.querySelector("[data-calls]"), rows);
    Object.keys(data.waiting).forEach(function (code) {
      var target = document.querySelector('[data-waiting="' + code + '"]');
      if (target) target.textContent = data.waiting[code];
    });
  }

  // Polling

  var initial = JSON.parse(document.getElementById("board-initial").textContent);
  var seen = idsOf(initial.recent_calls);
  var lastJson = JSON.stringify(initial);
  var failures = 0;

  function idsOf(calls) {
    return new Set(calls.map(function (call) { return call.id; }));
  }

  function apply(data) {
    // A call that left the list never comes back, so remembering the current list is enough.
    var fresh = data.recent_calls.filter(function (call) { return !seen.has(call.id); }).reverse();
    seen = idsOf(data.recent_calls);
    fresh.forEach(function (call) { announcer.queue.push(announcementText(call)); });
    var json = JSON.stringify(data);
    if (json !== lastJson) {
      lastJson = json;
      render(data, fresh.length > 0);
    }
    pump();
  }

  function fetchBoard() {
    var controller = new AbortController();
    var timeout = setTimeout(function () { controller.abort(); }, FETCH_TIMEOUT_MS);
    return fetch(apiUrl, { cache: "no-store", headers: { Accept: "application/json" }, signal: controller.signal })
      .then(function (response) {
        if (!response.ok) throw new Error("board answered " + response.status);
        return response.json();
      })
      .finally(function () { clearTimeout(timeout); });
  }

  function poll() {
    fetchBoard()
      .then(function (data) {
        failures = 0;
        reconnecting.hidden = true;
        apply(data);
        setTimeout(poll, POLL_MS);
      })
      .catch(function () {
        failures += 1;
        reconnecting.hidden = false;
        setTimeout(poll, Math.min(POLL_MS * Math.pow(2, failures), MAX_BACKOFF_MS));
      });
  }

  // Browsers speak only after someone has touched the page once.
  var soundButton = document.querySelector("[data-enable-sound]");
  soundButton.addEventListener("click", function () {
    if (window.speechSynthesis && window.SpeechSynthesisUtterance) {
      window.speechSynthesis.speak(new SpeechSynthesisUtterance(""));
    }
    soundButton.hidden = true;
  });

  var clock = document.querySelector("[data-clock]");
  function tick() {
    // The hall's time, whatever zone the display's own clock is set to.
    clock.textContent = new Date().toLocaleTimeString("zh-CN", {
      hour: "2-digit",
      minute: "2-digit",
      hour12: false,
      timeZone: clock.dataset.timezone || undefined,
    });
  }
  tick();
  setInterval(tick, 1000);
  setTimeout(poll, POLL_MS);
})();
