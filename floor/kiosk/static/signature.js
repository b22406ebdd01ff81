// The hand-over page's signature: the pad (pad.js) whose PNG is posted to the server with the badge.
(function () {
  "use strict";
  var pad = document.getElementById("sig-pad");
  if (!pad) { return; }
  var script = document.getElementById("sig-script");
  var save = document.getElementById("sig-save");
  var state = document.getElementById("sig-state");
  var drawing = window.floorSignaturePad(pad, function (drawn) { save.disabled = !drawn; });

  document.getElementById("sig-clear").addEventListener("click", drawing.clear);
  save.addEventListener("click", function () {
    if (!drawing.drawn()) { return; }
    save.disabled = true;
    var token = document.querySelector('meta[name="csrf-token"]').content;
    var badgeField = document.getElementById("deliver-badge");
    var badge = badgeField.value;
    fetch(pad.dataset.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ png: drawing.png(), badge: badge || undefined })
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
})();
