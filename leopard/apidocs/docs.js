// Swagger UI showing Leopard's own document and nothing else. The address is
// written here; the page's query (?url=, ?configUrl=) is never read, so no
// link can make this origin show a document of someone else's choosing. The
// base layout has no address bar to type another one into, and no validator
// badge is fetched from elsewhere.
window.ui = SwaggerUIBundle({
  url: "/api/docs/swagger.json",
  dom_id: "#swagger-ui",
  queryConfigEnabled: false,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
