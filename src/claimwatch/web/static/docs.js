// Swagger UI for /docs, loaded from the app's own static files (no CDN, no inline script).
(function () {
  "use strict";
  window.addEventListener("load", function () {
    var el = document.getElementById("swagger-ui");
    if (!el || typeof window.SwaggerUIBundle !== "function") { return; }
    window.ui = window.SwaggerUIBundle({
      url: el.getAttribute("data-spec") || "/openapi.json",
      dom_id: "#swagger-ui",
      deepLinking: true,
      validatorUrl: null,
      tryItOutEnabled: false
    });
  });
})();
