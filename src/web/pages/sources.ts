import { SOURCES } from '../../advice/sources.ts';
import { h } from '../html.ts';
import { page } from './layout.ts';

/** `/sources`: every source a `because` can name, in full, with a link where one exists. */
export function sourcesPage(): string {
  return page({
    title: 'Sources',
    body: h`<section class="card" id="sources">
  <h1>What the advice rests on</h1>
  <p>Every reason kneecheck gives names one of these. Cut-offs marked <em>kneecheck's own choice</em> are
  guidance, not validated numbers.</p>
  <dl class="sources">
  ${SOURCES.map(
    (s) => h`<div class="source-entry" id="${s.key}">
    <dt><strong>${s.short}</strong> <code>${s.key}</code></dt>
    <dd><p>${s.citation}</p><p>${s.finding}</p><p class="muted small">${s.strength}</p>${
      s.link ? h`<p><a href="${s.link}" rel="noreferrer">${s.link}</a></p>` : ''
    }</dd>
  </div>`,
  )}
  </dl>
  <p><a href="/">Back to the dashboard</a></p>
</section>`,
  });
}
