import type { Config } from '../../config/index.ts';
import { formatDistance } from '../../format.ts';
import type { ImportReport } from '../../model.ts';
import { assetUrl } from '../assets.ts';
import { h, type Safe } from '../html.ts';
import { MAX_UPLOAD_BYTES } from '../upload.ts';
import { limitText } from '../multipart.ts';
import { page, runHref, timeTag } from './layout.ts';

/**
 * Which way of getting runs in fits which watch or phone (intake.md, "Which path for which
 * runner"), short: the empty dashboard and the "no recent runs" card show it.
 */
export function runPaths(config: Config): Safe {
  return h`<ul class="paths">
    <li><strong>Garmin, COROS, Polar, Suunto, Wahoo</strong>: free and automatic through
      intervals.icu: link your watch's app there once, then run <code>kneecheck intervals connect</code>.</li>
    <li><strong>Apple Watch</strong>: in the Health app, your picture → Export All Health Data;
      drop the <code>export.zip</code> below.</li>
    <li><strong>Android phone</strong>: export the run as GPX or TCX from the app that recorded it
      and drop the file below.</li>
    <li><strong>A watch with a USB cable</strong>: copy its FIT files into the inbox folder
      <code class="path">${config.inbox}</code>; the running daemon imports them within seconds.</li>
    <li><strong>Strava</strong>: <code>kneecheck strava connect</code> works only while the owner of
      the Strava API application pays for a Strava subscription (since June 2026); a Strava bulk
      export zip can be dropped below instead.</li>
    <li><strong>From a terminal</strong>: <code>kneecheck import &lt;file-or-folder&gt;</code>.</li>
  </ul>`;
}

/**
 * The "Add runs from files" card: a plain multipart form posting to `/import` (works without
 * JavaScript; the CSRF field comes before the files, as the server requires), which
 * /assets/upload.js (loaded by the card itself) turns into a drop zone that sends the files to `/api/import` and shows the
 * report in `#import-report`.
 */
export function importCard(config: Config, csrf: string): Safe {
  return h`<section class="card" id="add-runs">
  <h2>Add runs from files</h2>
  <form class="upload" id="upload-form" method="post" action="/import" enctype="multipart/form-data" data-api="/api/import" data-units="${config.units}" data-zone="${config.timezone}">
    <input type="hidden" name="csrf" value="${csrf}">
    <label class="drop-zone" for="upload-files">
      <span class="drop-title">FIT, GPX, TCX or zip files (an Apple Health or Strava export too)</span>
      <span class="drop-hint muted small">Drop them here, or</span>
      <span class="pick button" aria-hidden="true">Add runs from files</span>
      <input id="upload-files" type="file" name="files" multiple>
    </label>
    <button type="submit" class="send button">Import</button>
  </form>
  <div id="import-report" class="import-report-slot" aria-live="polite"></div>
  <p class="muted small">Up to ${limitText(MAX_UPLOAD_BYTES)} at once. Files already stored are found and counted once.</p>
  <script src="${assetUrl('upload.js')}" defer></script>
</section>`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The import report as HTML: what /assets/upload.js draws from the JSON, the same way. */
export function importReportView(report: ImportReport, config: Config): Safe {
  const { imported, duplicates, skipped, failed } = report;
  const zone = config.timezone;
  const list = (cls: string, title: string, items: Safe[]) =>
    items.length === 0 ? '' : h`<h3>${title}</h3><ul class="report-list ${cls}">${items}</ul>`;
  return h`<div class="import-report">
  <p class="report-summary">Imported ${plural(imported.length, 'run')}, ${plural(duplicates.length, 'duplicate')}, ${skipped.length} skipped, ${failed.length} failed.</p>
  ${list(
    'imported',
    'Imported',
    imported.map(
      (i) =>
        h`<li><span class="file">${i.file}</span> <a href="${runHref(i.run.id)}">run of ${timeTag(i.run.startTime, zone)}, ${formatDistance(i.run.distanceM, config.units, 1)}</a></li>`,
    ),
  )}
  ${list(
    'duplicates',
    'Already stored',
    duplicates.map(
      (d) =>
        h`<li><span class="file">${d.file}</span> <a href="${runHref(d.of)}">the run stored before</a></li>`,
    ),
  )}
  ${list(
    'skipped',
    'Skipped',
    skipped.map(
      (s) => h`<li><span class="file">${s.file}</span> <span class="why">${s.reason}</span></li>`,
    ),
  )}
  ${list(
    'failed',
    'Failed',
    failed.map(
      (f) => h`<li><span class="file">${f.file}</span> <span class="why">${f.error}</span></li>`,
    ),
  )}
</div>`;
}

/** `POST /import`'s answer without JavaScript: the report, or why the upload was refused. */
export function importResultPage(
  config: Config,
  result: { report: ImportReport } | { message: string },
): string {
  const body =
    'report' in result
      ? h`<section class="card" id="import-result"><h1>Files imported</h1>
  ${importReportView(result.report, config)}
  <p><a class="button" href="/">Back to the dashboard</a></p></section>`
      : h`<section class="card" id="import-result"><h1>Nothing imported</h1>
  <p class="error">${result.message}</p>
  <p><a class="button" href="/#add-runs">Back to the dashboard</a></p></section>`;
  return page({ title: 'Import', body });
}
