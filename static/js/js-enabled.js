// Run at the top of <body> (a file, not inline, for the Content Security Policy):
// GOV.UK Frontend styles its components for JavaScript only with these classes.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
