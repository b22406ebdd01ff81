// Signature pad of the hand-over page: pointer events (finger, pen or mouse), drawn on a fixed-size
// canvas whose PNG is posted to the server. No library; nothing loaded from outside.
(function () {
  "use strict";
  var pad = document.getElementById("sig-pad");
  if (!pad) { return; }
  var script = document.getElementById("sig-script");
  var ctx = pad.getContext("2d");
  var save = document.getElementById("sig-save");
  var state = document.getElementById("sig-state");
  var drawing = false, drawn = false, last = null;

  function blank() {
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, pad.width, pad.height);
    ctx.strokeStyle = "#000"; ctx.lineWidth = 3.5; ctx.lineCap = "round"; ctx.lineJoin = "round";
    drawn = false; save.disabled = true;
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
    drawn = true; save.disabled = false;
  });
  function stop(ev) {
    if (drawing && pad.hasPointerCapture(ev.pointerId)) { pad.releasePointerCapture(ev.pointerId); }
    drawing = false;
  }
  pad.addEventListener("pointerup", stop);
  pad.addEventListener("pointercancel", stop);
  document.getElementById("sig-clear").addEventListener("click", blank);
  save.addEventListener("click", function () {
    if (!drawn) { return; }
    save.disabled = true;
    var token = document.querySelector('meta[name="csrf-token"]').content;
    var badgeField = document.getElementById("deliver-badge");
    var badge = badgeField.value;
    fetch(pad.dataset.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ png: pad.toDataURL("image/png"), badge: badge || undefined })
    }).then(function (resp) {
      return resp.json().then(function (body) { return { ok: resp.ok, body: body }; });
    }).then(function (res) {
      state.dataset.signed = res.ok ? "1" : "0";
      state.dataset.code = res.ok ? "" : (res.body.code || "");
      // A refusal says why and, when the badge is missing or may not hand over, whose badge to bring;
      // the drawing stays, so the signature can be kept once the right badge is in.
      state.textContent = res.ok ? script.dataset.saved
        : script.dataset.failed + ": " + (res.body.error || "") + (res.body.hint ? " " + res.body.hint : "");
      save.disabled = res.ok;
      if (!res.ok && res.body.hint) { badgeField.focus(); badgeField.select(); }
    }).catch(function () {
      state.textContent = script.dataset.failed; save.disabled = false;
    });
  });
  blank();
})();
