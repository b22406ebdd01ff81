// The PIN pad of the cashier's discount form: its keys type into the PIN field it names (data-target).
// A static file: the kiosk's Content-Security-Policy allows no inline script.
document.addEventListener("click", function (ev) {
  var key = ev.target.closest ? ev.target.closest(".pin-key") : null;
  if (!key) return;
  ev.preventDefault();
  var pad = key.closest(".pinpad");
  var field = pad && document.getElementById(pad.dataset.target);
  if (!field) return;
  var k = key.dataset.key;
  if (k === "C") field.value = "";
  else if (k === "⌫") field.value = field.value.slice(0, -1);
  else if (field.value.length < 32) field.value += k;
});
