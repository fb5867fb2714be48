// Starts the wasm app. A file rather than an inline script, so the page's Content-Security-Policy
// can forbid inline scripts. Trunk writes the hashed file names into data-js and data-wasm; they
// are resolved against this file's URL, which is the root of the app wherever it is deployed.
const boot = document.getElementById('mxray-boot');
const at = (name) => new URL(name, import.meta.url).href;

// The app changes the URL with the History API, and the browser re-resolves relative <link>
// URLs (the icon) against the new one. Pin them to the absolute URLs they had at load.
for (const link of document.querySelectorAll('link[href]')) {
  link.setAttribute('href', link.href);
}

const { default: init } = await import(at(boot.dataset.js));
await init({ module_or_path: at(boot.dataset.wasm) });
