// Starts GOV.UK Frontend's components. Its module's URL comes from the page, so that
// with hashed static file names (DJANGO_MANIFEST_STATIC) it is the hashed one.
const script = document.querySelector("script[data-govuk-frontend]");
const { initAll } = await import(script.dataset.govukFrontend);
initAll();
