import type { Config } from '../../config/index.ts';
import type { Run, Shoe } from '../../model.ts';
import { shoeDistance, shoeNotes } from '../../present/shoes.ts';
import type { Store } from '../../store/index.ts';
import { h, type Safe } from '../html.ts';
import { page, runHref } from './layout.ts';
import { TEXT_LIMITS } from '../../bounds.ts';

/** The weak-evidence note every place that shows the replace-at distance carries. */
export const SHOE_CUTOFF_NOTE =
  "kneecheck's own rule of thumb: the evidence for any particular mileage is weak, and comfort matters more.";

/** The dashboard's shoes card: km per pair, linked to /shoes. */
export function shoesCard(
  shoes: readonly Shoe[],
  replaceAtKm: number,
  units: Config['units'],
): Safe {
  const inUse = shoes.filter((s) => s.retiredOn === null);
  return h`<section class="card" id="shoes">
  <h2>Shoes</h2>
  ${
    inUse.length === 0
      ? h`<p class="muted">No shoes yet. <a href="/shoes">Add your pair</a> to see the distance on it.</p>`
      : h`<ul class="shoe-list">${inUse.map(
          (s) =>
            h`<li><span class="name">${s.name}</span> <strong>${shoeDistance(s, units)}</strong>${s.distanceM / 1000 >= replaceAtKm ? h` <span class="tag worn">past ${replaceAtKm} km</span>` : ''}${s.isDefault ? h` <span class="muted small">new runs get it</span>` : ''}</li>`,
        )}</ul>
  <p><a href="/shoes">All shoes</a></p>`
  }
</section>`;
}

/** `GET /shoes`: every pair, add one, choose the default, the replace-at distance. */
export function shoesPage(
  store: Store,
  config: Config,
  csrf: string,
  notice?: { error?: string; saved?: string },
): string {
  const shoes = store.shoes.list();
  const replaceAtKm = store.shoes.replaceAtKm();
  const u = config.units;
  const body = h`<p class="crumbs"><a href="/">← Dashboard</a></p>
<section class="card" id="all-shoes">
  <h1>Shoes</h1>
  ${notice?.error ? h`<p class="error" role="alert">${notice.error}</p>` : ''}
  ${notice?.saved ? h`<p class="saved" role="status">${notice.saved}</p>` : ''}
  ${
    shoes.length === 0
      ? h`<p class="muted">No shoes yet.</p>`
      : h`<ul class="shoe-list">${shoes.map(
          (s) => h`<li data-shoe="${s.id}">
    <span class="name">${s.name}</span> <strong>${shoeDistance(s, u)}</strong>
    <span class="muted small">${s.runs} run${s.runs === 1 ? '' : 's'} since ${s.startedOn}${shoeNotes(s) ? `; ${shoeNotes(s)}` : ''}</span>
    ${
      s.isDefault || s.retiredOn
        ? ''
        : h`<form class="inline" method="post" action="/shoes/default"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="shoe" value="${s.id}"><button class="button small" type="submit">New runs get this pair</button></form>`
    }
  </li>`,
        )}</ul>`
  }
  <p class="muted small">kneecheck suggests thinking about a new pair from <strong>${replaceAtKm} km</strong>: ${SHOE_CUTOFF_NOTE} Change it with <code>kneecheck shoes replace-at &lt;km&gt;</code>.</p>
</section>
<form class="card shoe-form" method="post" action="/shoes">
  <h2>Add a pair</h2>
  <input type="hidden" name="csrf" value="${csrf}">
  <label>Name <input name="name" type="text" maxlength="${TEXT_LIMITS.shoeName}" required autocomplete="off" placeholder="blue Pegasus"></label>
  <label>First run in them <input name="since" type="date" required></label>
  <label class="choice"><input type="checkbox" name="default" value="on" checked><span>New runs get this pair</span></label>
  <button type="submit" class="button primary">Add shoes</button>
</form>`;
  return page({ title: 'Shoes', body });
}

/** The run page's "Shoes" form: which pair this run was run in. */
export function runShoeForm(
  run: Run,
  shoes: readonly Shoe[],
  current: { shoe: Shoe; by: string } | null,
  csrf: string,
): Safe {
  if (shoes.length === 0) {
    return h`<p class="muted small">Shoes: none recorded. <a href="/shoes">Add your pair</a>.</p>`;
  }
  return h`<form class="run-shoe" method="post" action="${runHref(run.id)}/shoe">
  <input type="hidden" name="csrf" value="${csrf}">
  <label for="run-shoe">Shoes${current?.by === 'strava' ? ' (from Strava)' : ''}</label>
  <select id="run-shoe" name="shoe">
    <option value="none"${current === null ? h` selected` : ''}>not recorded</option>
    ${shoes.map((s) => h`<option value="${s.id}"${current?.shoe.id === s.id ? h` selected` : ''}>${s.name}</option>`)}
  </select>
  <button type="submit" class="button small">Save</button>
</form>`;
}
