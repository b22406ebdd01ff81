// The repair order's answer form: when it is sent with a drawing on the pad (pad.js), the drawing's PNG goes
// along in the hidden "signature" field.
(function () {
  "use strict";
  var canvas = document.getElementById("consent-pad");
  if (!canvas) { return; }
  var field = document.getElementById("consent-png");
  var pad = window.floorSignaturePad(canvas, function () { field.value = ""; });
  document.getElementById("consent-clear").addEventListener("click", pad.clear);
  document.getElementById("answer-form").addEventListener("submit", function () {
    field.value = pad.drawn() ? pad.png() : "";
  });
})();
