// Loaded at the very start of <body> so GOV.UK Frontend's JS-only styles apply before first paint.
// An external file rather than an inline script keeps the Content-Security-Policy free of inline code.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '')
