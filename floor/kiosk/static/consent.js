// Signature pad of the repair order's answer form: pointer events (finger, pen or mouse) on a canvas;
// when the form is sent with a drawing, its PNG goes along in the hidden "signature" field. No library.
(function () {
  "use strict";
  var pad = document.getElementById("consent-pad");
  if (!pad) { return; }
  var field = document.getElementById("consent-png");
  var ctx = pad.getContext("2d");
  var drawing = false, drawn = false, last = null;

  function blank() {
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, pad.width, pad.height);
    ctx.strokeStyle = "#000"; ctx.lineWidth = 3.5; ctx.lineCap = "round"; ctx.lineJoin = "round";
    drawn = false; field.value = "";
    pad.dataset.drawn = "0";
  }
  function point(ev) {
    var r = pad.getBoundingClientRect();
    return { x: (ev.clientX - r.left) * pad.width / r.width, y: (ev.clientY - r.top) * pad.height / r.height };
  }
  pad.addEventListener("pointerdown", function (ev) {
    ev.preventDefault();
    try { pad.setPointerCapture(ev.pointerId); } catch (e) { /* a pointer that is gone already */ }
    drawing = true; last = point(ev);
  });
  pad.addEventListener("pointermove", function (ev) {
    if (!drawing) { return; }
    ev.preventDefault();
    var events = ev.getCoalescedEvents ? ev.getCoalescedEvents() : [ev];
    for (var i = 0; i < events.length; i++) {
      var p = point(events[i]);
      ctx.beginPath(); ctx.moveTo(last.x, last.y); ctx.lineTo(p.x, p.y); ctx.stroke();
      last = p;
    }
    drawn = true; pad.dataset.drawn = "1";
  });
  function stop(ev) {
    if (drawing && pad.hasPointerCapture(ev.pointerId)) { pad.releasePointerCapture(ev.pointerId); }
    drawing = false;
  }
  pad.addEventListener("pointerup", stop);
  pad.addEventListener("pointercancel", stop);
  document.getElementById("consent-clear").addEventListener("click", blank);
  document.getElementById("answer-form").addEventListener("submit", function () {
    field.value = drawn ? pad.toDataURL("image/png") : "";
  });
  blank();
})();
