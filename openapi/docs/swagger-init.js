// The document from the same server; "/" in its servers list resolves to this origin, so
// "Try it out" calls the API that serves this page.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  // No call to the public validator service: the document is linted in `make test`.
  validatorUrl: null,
  displayRequestDuration: true,
});
