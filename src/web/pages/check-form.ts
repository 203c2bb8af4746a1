import { KNEE_LOCATIONS, type KneeLocation } from '../../model.ts';
import {
  FLAG_FIELDS,
  MAX_NOTE_CHARS,
  RETURN_TEST_FIELDS,
  whereValue,
  type FormFields,
} from '../check-input.ts';

/** The guide's return test (GUIDE-2026: walk, squat, stairs without pain), as the form asks it. */
const RETURN_TEST_LABELS: Record<(typeof RETURN_TEST_FIELDS)[number], string> = {
  walkOk: 'Walking',
  squatOk: 'Squatting',
  stairsOk: 'Stairs, up and down',
};
import { h, type Safe } from '../html.ts';
import { FLAG_LABELS } from './layout.ts';

const WHERE_TEXT: Record<KneeLocation, string> = {
  front: 'around or behind the kneecap',
  inside: 'on the side facing the other knee',
  outside: 'on the outer side of the knee',
  back: 'in the hollow behind the knee',
};

/**
 * A simple picture of one knee seen from above, for the four places (illustration only). Front
 * (the kneecap) is at the top; the inside faces the other knee, so it is on the right of the
 * left knee and on the left of the right knee.
 */
function kneeSvg(side: 'left' | 'right'): Safe {
  const [west, east] = side === 'left' ? ['outside', 'inside'] : ['inside', 'outside'];
  const z = (l: string) => whereValue(side, l as KneeLocation);
  return h`<svg class="knee" viewBox="0 0 200 170" role="img" aria-label="The ${side} knee seen from above: front with the kneecap at the top, back at the bottom, ${west} on the left, ${east} on the right">
  <ellipse class="joint" cx="100" cy="90" rx="62" ry="52"></ellipse>
  <path class="zone" data-where="${z('front')}" d="M100 90 L56 53 A62 52 0 0 1 144 53 Z"><title>${side} knee, front</title></path>
  <path class="zone" data-where="${z(east)}" d="M100 90 L144 53 A62 52 0 0 1 144 127 Z"><title>${side} knee, ${east}</title></path>
  <path class="zone" data-where="${z('back')}" d="M100 90 L144 127 A62 52 0 0 1 56 127 Z"><title>${side} knee, back</title></path>
  <path class="zone" data-where="${z(west)}" d="M100 90 L56 127 A62 52 0 0 1 56 53 Z"><title>${side} knee, ${west}</title></path>
  <ellipse class="kneecap" cx="100" cy="40" rx="22" ry="12"></ellipse>
  <text x="100" y="16">front (kneecap)</text>
  <text x="100" y="164">back</text>
  <text x="24" y="94">${west}</text>
  <text x="176" y="94">${east}</text>
</svg>`;
}

export interface CheckFormState {
  csrf: string;
  /** The fields as last submitted (kept when the form comes back with an error). */
  values?: FormFields;
  /** A line shown above the knees (e.g. an earlier check that did not say which knee). */
  notice?: string;
  error?: { field: string; message: string } | null;
}

/**
 * The knee-check form, posting to `action` (a run's `/runs/:id/check`, `/check` for none, or a
 * check's `/checks/:id/edit`).
 */
export function checkForm(
  action: string,
  s: CheckFormState,
  title = 'How do your knees feel?',
  submit = 'Save knee check',
): Safe {
  const v = s.values ?? {};
  const has = (k: string, value?: string) => {
    const x = v[k];
    if (value === undefined) return x !== undefined;
    return Array.isArray(x) ? x.includes(value) : x === value;
  };
  const err = (field: string) =>
    s.error?.field === field ? h`<p class="error" role="alert">${s.error.message}</p>` : '';
  const note = Array.isArray(v.note) ? v.note[0] : v.note;
  return h`<form class="card check-form" id="check-form" method="post" action="${action}">
  <h2>${title}</h2>
  <input type="hidden" name="csrf" value="${s.csrf}">
  ${s.error && !['pain', 'where', 'note'].includes(s.error.field) ? h`<p class="error" role="alert">${s.error.message}</p>` : ''}
  <fieldset class="pain-scale">
    <legend>Pain right now: 0 = none, 10 = worst imaginable</legend>
    ${err('pain')}
    <div class="scale">
    ${Array.from({ length: 11 }, (_, n) => h`<label class="pain-${n}"><input type="radio" name="pain" value="${n}" required${has('pain', String(n)) ? h` checked` : ''}><span>${n}</span></label>`)}
    </div>
  </fieldset>
  <fieldset class="where">
    <legend>Which knee, and where does it hurt? Tick every place that applies</legend>
    ${err('where')}
    ${s.notice ? h`<p class="notice small">${s.notice}</p>` : ''}
    <div class="knees">
    ${(['left', 'right'] as const).map(
      (side) => h`<div class="knee-side" data-knee="${side}">
      <h3>${side === 'left' ? 'Left knee' : 'Right knee'}</h3>
      ${kneeSvg(side)}
      <div class="choices">
      ${KNEE_LOCATIONS.map(
        (l) =>
          h`<label class="choice"><input type="checkbox" name="where" value="${whereValue(side, l)}"${has('where', whereValue(side, l)) ? h` checked` : ''}><span><strong>${l}</strong> <small>${WHERE_TEXT[l]}</small></span></label>`,
      )}
      </div>
    </div>`,
    )}
    </div>
  </fieldset>
  <fieldset class="flags">
    <legend>Any of these? (leave empty if not)</legend>
    ${FLAG_FIELDS.map(
      (f) =>
        h`<label class="choice"><input type="checkbox" name="${f}" value="on"${has(f) ? h` checked` : ''}><span>${FLAG_LABELS[f].question}</span></label>`,
    )}
  </fieldset>
  <fieldset class="return-test">
    <legend>After a stop: which of these are pain-free now? (leave empty if you have not tried)</legend>
    ${RETURN_TEST_FIELDS.map(
      (f) =>
        h`<label class="choice"><input type="checkbox" name="${f}" value="on"${has(f) ? h` checked` : ''}><span>${RETURN_TEST_LABELS[f]}</span></label>`,
    )}
  </fieldset>
  <label class="note-field">Note (optional)
    ${err('note')}
    <textarea name="note" rows="3" maxlength="${MAX_NOTE_CHARS}">${note ?? ''}</textarea>
  </label>
  <button type="submit" class="button primary">${submit}</button>
</form>`;
}
