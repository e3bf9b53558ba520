import { DOMAINS } from '../contract/specs';

const TITLES: Record<(typeof DOMAINS)[number], string> = {
  control: 'Control',
  llm: 'LLM',
  audio: 'Audio',
  embeddings: 'Embeddings',
  redaction: 'Redaction',
};

/** The API reference page: the self-hosted Redoc bundle rendering one domain's spec at a time. */
export function docsPage(): string {
  const links = DOMAINS.map(
    (domain) => `<a href="#${domain}" data-api="${domain}">${TITLES[domain]}</a>`,
  ).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>spark-control API reference</title>
<style>
  body { margin: 0; font-family: system-ui, sans-serif; }
  nav { display: flex; gap: 1rem; align-items: center; padding: .6rem 1rem; background: #1d2733; color: #fff; position: sticky; top: 0; z-index: 10; }
  nav strong { margin-right: 1rem; }
  nav a { color: #c9d6e3; text-decoration: none; padding: .2rem .5rem; border-radius: 4px; }
  nav a.active { background: #3d5a80; color: #fff; }
</style>
</head>
<body>
<nav><strong>spark-control API</strong>${links}<a href="/">Dashboard</a></nav>
<div id="reference"></div>
<script src="/docs/redoc.standalone.js"></script>
<script>
  function show() {
    var api = (location.hash || '#control').slice(1);
    document.querySelectorAll('nav a[data-api]').forEach(function (a) { a.classList.toggle('active', a.dataset.api === api); });
    Redoc.init('/openapi/' + api + '.json', { hideDownloadButton: false, expandResponses: '200,201,202' }, document.getElementById('reference'));
  }
  window.addEventListener('hashchange', show);
  show();
</script>
</body>
</html>
`;
}
