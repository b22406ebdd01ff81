// Appointments page: reload now and then so reservations made at the counter show up (no inline script: CSP).
(function () {
  "use strict";
  var day = document.getElementById("appt-day");
  var seconds = day ? parseInt(day.getAttribute("data-refresh-seconds"), 10) : 0;
  if (seconds > 0) {
    window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
  }
})();
