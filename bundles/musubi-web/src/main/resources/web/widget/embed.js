/*
 * Musubi customer widget loader. A company site adds, e.g.:
 *   <script src="https://hub.example.jp/widget/embed.js" data-tenant="default" data-entry-point="web" defer></script>
 * It draws a button that opens the widget in a frame served by the hub (so the widget's requests stay on the hub's
 * origin and the site's own page needs no API access). Optional: data-lang="ja|en", data-label="…".
 * The site's Content-Security-Policy must allow script-src and frame-src of the hub; the hub's io.musubi.web
 * configuration must list the site in widgetFrameAncestors. See docs/widget.md.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script) return;
  var hub = new URL(script.src).origin;
  var data = script.dataset;
  var params = new URLSearchParams({
    tenant: data.tenant || 'default',
    entryPoint: data.entryPoint || 'web',
    embedded: '1',
    page: location.origin + location.pathname
  });
  if (data.lang) params.set('lang', data.lang);
  var ja = (data.lang || navigator.language || '').toLowerCase().indexOf('ja') === 0;
  var label = data.label || (ja ? 'お問い合わせ' : 'Contact us');

  var button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', 'musubi-widget-frame');
  var b = button.style;
  b.position = 'fixed'; b.right = '20px'; b.bottom = '20px'; b.zIndex = '2147483000';
  b.padding = '12px 18px'; b.borderRadius = '999px'; b.border = '0'; b.cursor = 'pointer';
  b.background = '#0b57a4'; b.color = '#fff'; b.font = '600 15px system-ui, sans-serif';
  b.boxShadow = '0 4px 14px rgba(0,0,0,.25)';

  var frame = document.createElement('iframe');
  frame.id = 'musubi-widget-frame';
  frame.title = label;
  frame.src = hub + '/widget/?' + params.toString();
  frame.setAttribute('allow', 'camera; microphone; autoplay');
  frame.hidden = true;
  var f = frame.style;
  f.position = 'fixed'; f.right = '20px'; f.bottom = '80px'; f.zIndex = '2147483000';
  f.width = '380px'; f.maxWidth = 'calc(100vw - 40px)'; f.height = '600px'; f.maxHeight = 'calc(100vh - 110px)';
  f.border = '1px solid #c9d1d9'; f.borderRadius = '12px'; f.background = '#fff';
  f.boxShadow = '0 8px 30px rgba(0,0,0,.25)';

  function toggle(open) {
    frame.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) frame.focus();
    else button.focus();
  }
  button.addEventListener('click', function () { toggle(frame.hidden); });
  window.addEventListener('message', function (e) {
    if (e.origin === hub && e.data && e.data.type === 'musubi.widget.close') toggle(false);
  });
  function mount() {
    document.body.appendChild(frame);
    document.body.appendChild(button);
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
