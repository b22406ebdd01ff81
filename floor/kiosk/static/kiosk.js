/* floor kiosk: clock, live-connection dot, scan field that keeps focus, beep and flash on each new scan,
   page rotation on the job board. No external resources. */
(function () {
  "use strict";

  function tick() {
    var el = document.getElementById("clock");
    if (!el) return;
    var d = new Date();
    el.textContent = String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  }
  tick();
  setInterval(tick, 5000);

  function setLive(on) {
    var dot = document.getElementById("live-dot");
    if (dot) dot.classList.toggle("is-live", on);
    document.body.dataset.live = on ? "1" : "0";
  }
  document.body.addEventListener("htmx:sseOpen", function () { setLive(true); });
  document.body.addEventListener("htmx:sseError", function () { setLive(false); });

  // ---- sound: generated with WebAudio, nothing to download ----
  var audio = null;
  function beep(ok) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var tones = ok ? [[1760, 0, 0.09]] : [[330, 0, 0.16], [330, 0.22, 0.16]];
      tones.forEach(function (t) {
        var osc = audio.createOscillator(), gain = audio.createGain();
        osc.type = ok ? "sine" : "square";
        osc.frequency.value = t[0];
        gain.gain.value = 0.25;
        osc.connect(gain); gain.connect(audio.destination);
        osc.start(audio.currentTime + t[1]); osc.stop(audio.currentTime + t[1] + t[2]);
      });
    } catch (e) { /* no audio device: the flash still shows */ }
  }
  function flash(ok) {
    var el = document.getElementById("flash");
    if (!el) return;
    el.className = "flash";
    void el.offsetWidth; // restart the animation
    el.className = "flash " + (ok ? "flash-ok" : "flash-bad");
  }

  // ---- counter: a new latest scan (from this page or any device of the station) beeps and flashes ----
  var lastScan = null;
  function noteCounter(fresh) {
    var live = document.getElementById("counter-state");
    if (!live) return;
    var id = live.dataset.lastScan || "";
    if (fresh && id && id !== lastScan) {
      var ok = live.dataset.lastOk === "1";
      beep(ok); flash(ok);
      document.body.dataset.lastFeedback = ok ? "ok" : "bad";
    }
    lastScan = id;
  }
  noteCounter(false);

  // ---- the scan field keeps focus so a keyboard-wedge scanner always types into it ----
  function scanInput() { return document.querySelector("[data-keep-focus]"); }
  function refocus() {
    var input = scanInput();
    if (!input) return;
    var active = document.activeElement;
    var busy = active && active !== input && active !== document.body &&
      /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName);
    if (!busy) input.focus({ preventScroll: true });
  }
  document.addEventListener("focusout", function () { setTimeout(refocus, 150); });
  document.addEventListener("click", function () { setTimeout(refocus, 150); });
  setInterval(refocus, 2000);

  // ---- each wedge scan keeps its own text, even when typed while the one before is still being sent ----
  // The scan form queues its requests (hx-sync "queue all"), but htmx reads the field only when it sends a
  // queued one, after the earlier answer: by then the wedge may have typed the next scan into it, and two
  // scans went out as one ("WO:1001P:OF-100"). So the text is taken and the field cleared at the submit
  // itself, and each request, sent now or later, carries the next text in the order they were typed.
  var typed = [];
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form || form.id !== "scan-form") return;
    var input = form.querySelector("[name=text]");
    if (!input) return;
    typed.push(input.value);
    input.value = "";
  }, true); // capture: before htmx's own submit handler on the form
  document.body.addEventListener("htmx:configRequest", function (ev) {
    var form = ev.detail.elt;
    if (form && form.id === "scan-form" && typed.length) ev.detail.parameters.text = typed.shift();
  });
  document.body.addEventListener("htmx:afterSwap", function (ev) {
    if (ev.detail.target && ev.detail.target.id === "counter-live") noteCounter(true);
    refocus();
  });
  document.body.addEventListener("htmx:afterSettle", function () { noteCounter(true); });
  // A refused write (403: not enrolled, badge refused) carries a page part saying what to do: show it.
  document.body.addEventListener("htmx:beforeSwap", function (ev) {
    // A part marked data-swap-refusals shows any refusal (4xx) it is answered with (the technician's page).
    var st = ev.detail.xhr ? ev.detail.xhr.status : 0;
    var marked = ev.detail.target && ev.detail.target.hasAttribute && ev.detail.target.hasAttribute("data-swap-refusals");
    if (st === 403 || (marked && st >= 400 && st < 500)) {
      ev.detail.shouldSwap = true;
      ev.detail.isError = false;
    }
  });

  // ---- bars: sizes come as data-w / data-h (percent) and data-flex, set here because the CSP
  //      (self only) forbids inline style attributes; runs on the page and on every swapped fragment ----
  function sizeBars(root) {
    if (!root || !root.querySelectorAll) return;
    root.querySelectorAll("[data-w]").forEach(function (el) { el.style.width = el.dataset.w + "%"; });
    root.querySelectorAll("[data-h]").forEach(function (el) { el.style.height = el.dataset.h + "%"; });
    root.querySelectorAll("[data-flex]").forEach(function (el) { el.style.flex = el.dataset.flex + " 0 auto"; });
  }
  sizeBars(document);
  document.body.addEventListener("htmx:load", function (ev) { sizeBars(ev.target); });
  document.body.addEventListener("htmx:afterSwap", function (ev) { sizeBars(ev.detail.target); });

  // ---- job board: more jobs than fit one screen rotate; the server renders only the screen asked for ----
  window.floorBoardPage = 0;
  var board = document.getElementById("board-live");
  // The page number rides on the board's own requests (no hx-vals "js:": the CSP allows no eval).
  document.body.addEventListener("htmx:configRequest", function (ev) {
    if (board && ev.detail.elt === board) ev.detail.parameters.page = window.floorBoardPage || 0;
  });
  if (board) {
    var secs = parseInt(board.dataset.rotateS || "15", 10);
    setInterval(function () {
      var ind = document.getElementById("board-page-no");
      var pages = ind ? parseInt(ind.dataset.pages || "1", 10) : 1;
      var shown = ind ? parseInt(ind.dataset.page || "0", 10) : 0;
      if (pages > 1) {
        window.floorBoardPage = (shown + 1) % pages;
        htmx.trigger(board, "rotate");
      }
    }, secs * 1000);
  }
})();

/* The PIN pad of privileged acts (kiosk/_pin_pad.html): touch keys type digits into the form's PIN field. */
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    var key = ev.target.closest ? ev.target.closest(".pin-key") : null;
    if (!key) return;
    var pad = key.closest("[data-pin-pad]");
    var input = pad ? pad.querySelector("input.pin-input") : null;
    if (!input) return;
    ev.preventDefault();
    var k = key.getAttribute("data-key");
    if (k === "clear") input.value = "";
    else if (k === "back") input.value = input.value.slice(0, -1);
    else if (/^[0-9]$/.test(k) && input.value.length < 12) input.value += k;
    input.focus();
  });
})();
