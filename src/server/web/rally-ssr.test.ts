import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareTemplate } from './rally-ssr.ts';

const built = `<!doctype html><html><head><title>t</title>
<link rel="stylesheet" href="/assets/print-x.css" media="print">
<script type="module" crossorigin src="/assets/rally-x.js"></script>
<link rel="modulepreload" crossorigin href="/assets/api-x.js">
<link rel="stylesheet" crossorigin href="/assets/style-x.css">
</head><body><div id="app"><!--ssr--><!--/ssr--></div></body></html>`;
const assets = new Map([
  ['/assets/print-x.css', { body: Buffer.from('@media print { nav { display: none } }'), type: 'text/css' }],
  ['/assets/style-x.css', { body: Buffer.from('body { margin: 0 }'), type: 'text/css' }],
]);

test('the first view inlines the screen stylesheet before the content; print styles and scripts come after it', () => {
  const html = prepareTemplate(built, assets);
  const content = html.indexOf('<div id="app">');
  assert.ok(html.indexOf('<style>body { margin: 0 }</style>') < content, 'screen styles precede the content');
  const print = html.indexOf('<style media="print">@media print');
  assert.ok(print > content, 'print styles keep their medium and follow the content');
  assert.ok(html.indexOf('<script type="module" crossorigin src="/assets/rally-x.js"></script>') > content);
  assert.doesNotMatch(html, /modulepreload|<link rel="stylesheet"/);
});
