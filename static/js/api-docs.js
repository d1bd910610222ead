// Starts Swagger UI on the API docs page (templates/api/docs.html). The page
// gives the schema's URL and the CSRF token as data-* attributes: the
// Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  if (!element || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  var csrfToken = element.getAttribute("data-csrf-token");
  element.textContent = "";
  window.SwaggerUIBundle({
    url: element.getAttribute("data-schema-url"),
    domNode: element,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    // "Try it out" runs with the signed-in session: writes need the CSRF token.
    requestInterceptor: function (request) {
      if (request.method && request.method !== "GET") {
        request.headers["X-CSRFToken"] = csrfToken;
      }
      return request;
    },
  });
})();
