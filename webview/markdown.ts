// Model Markdown → sanitised HTML: marked renders, highlight.js colours code, DOMPurify removes anything
// executable (scripts, event handlers, javascript: links) before it reaches the DOM.
import createDOMPurify from 'dompurify';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import typescript from 'highlight.js/lib/languages/typescript';
import diff from 'highlight.js/lib/languages/diff';
import { Marked } from 'marked';

for (const [name, lang] of Object.entries({ bash, javascript, json, python, typescript, diff })) hljs.registerLanguage(name, lang);
hljs.registerAliases(['sh', 'shell', 'console'], { languageName: 'bash' });
hljs.registerAliases(['js', 'jsx'], { languageName: 'javascript' });
hljs.registerAliases(['ts', 'tsx'], { languageName: 'typescript' });

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const marked = new Marked({
  gfm: true,
  breaks: false,
  renderer: {
    code({ text, lang }) {
      const language = lang && hljs.getLanguage(lang) ? lang : undefined;
      const html = language ? hljs.highlight(text, { language }).value : escapeHtml(text);
      return `<div class="code-block"><button class="copy-code codicon codicon-copy" title="Copy" aria-label="Copy code"></button><pre><code class="hljs${language ? ` language-${language}` : ''}">${html}</code></pre></div>`;
    },
  },
});

export type Sanitizer = { sanitize(html: string, cfg: Record<string, unknown>): string };

let purifier: Sanitizer | undefined;
/** Tests pass a window (jsdom); the webview uses its own. */
export function setWindow(win: unknown): void {
  purifier = createDOMPurify(win as Window & typeof globalThis) as unknown as Sanitizer;
}

export function renderMarkdown(src: string): string {
  if (!purifier) setWindow(window);
  const html = marked.parse(src, { async: false }) as string;
  return purifier!.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'iframe', 'object', 'embed'],
    FORBID_ATTR: ['style'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#)/i,
  });
}
