// The one signature pad of the kiosk: pointer events (finger, pen or mouse) drawn on a canvas that CSS may
// scale. `floorSignaturePad(canvas, onChange)` gives {clear, drawn, png}; onChange(drawn) follows every
// stroke and clear. Used by the hand-over page (signature.js) and the repair order's answers (consent.js).
// No library; nothing loaded from outside.
window.floorSignaturePad = function (pad, onChange) {
  "use strict";
  var ctx = pad.getContext("2d");
  var drawing = false, drawn = false, last = null;

  function clear() {
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, pad.width, pad.height);
    ctx.strokeStyle = "#000"; ctx.lineWidth = 3.5; ctx.lineCap = "round"; ctx.lineJoin = "round";
    drawn = false; pad.dataset.drawn = "0";
    onChange(false);
  }
  function point(ev) {
    // The canvas is scaled by CSS: map the pointer from screen pixels to canvas pixels.
    var r = pad.getBoundingClientRect();
    return { x: (ev.clientX - r.left) * pad.width / r.width, y: (ev.clientY - r.top) * pad.height / r.height };
  }
  pad.addEventListener("pointerdown", function (ev) {
    ev.preventDefault();
    try { pad.setPointerCapture(ev.pointerId); } catch (e) { /* a pointer that is gone already */ }
    window.floorLastPointer = ev.pointerType;  // tests and support can tell finger from mouse
    drawing = true; last = point(ev);
    ctx.beginPath(); ctx.arc(last.x, last.y, 1.5, 0, 2 * Math.PI); ctx.fillStyle = "#000"; ctx.fill();
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
    onChange(true);
  });
  function stop(ev) {
    if (drawing && pad.hasPointerCapture(ev.pointerId)) { pad.releasePointerCapture(ev.pointerId); }
    drawing = false;
  }
  pad.addEventListener("pointerup", stop);
  pad.addEventListener("pointercancel", stop);
  clear();
  return {
    clear: clear,
    drawn: function () { return drawn; },
    png: function () { return pad.toDataURL("image/png"); }
  };
};
