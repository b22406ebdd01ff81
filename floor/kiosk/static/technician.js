// The technician's page: after a scan is sent, its field empties and keeps the focus for the next one.
document.addEventListener("htmx:afterRequest", function (ev) {
  "use strict";
  if (ev.detail.elt && ev.detail.elt.id === "tech-scan") {
    var field = document.getElementById("tech-scan-text");
    field.value = "";
    field.focus();
  }
});
