// Starts Swagger UI on the page /docs serves (kring_platform.api_docs). A file of its own, not
// an inline script, so the page's Content-Security-Policy needs no 'unsafe-inline' for scripts.
window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // No badge from the public validator: the page asks nothing of other hosts.
    validatorUrl: null,
  });
});
