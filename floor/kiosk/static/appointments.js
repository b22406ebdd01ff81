// Appointments page: reload now and then so reservations made at the counter show up (no inline script: CSP).
// Not while someone is filling in a move or cancel form: the reload would throw their typing away.
(function () {
  "use strict";
  var day = document.getElementById("appt-day");
  var seconds = day ? parseInt(day.getAttribute("data-refresh-seconds"), 10) : 0;
  function busy() {
    var active = document.activeElement;
    if (active && active.closest && active.closest("form.appt-change")) return true;
    return Array.prototype.some.call(document.querySelectorAll("form.appt-change .appt-badge"), function (el) {
      return el.value !== "";
    });
  }
  function later() {
    window.setTimeout(function () {
      if (busy()) later();
      else window.location.reload();
    }, seconds * 1000);
  }
  if (seconds > 0) later();
})();
