/**
 * Every real GPX and TCX file of ../shared/fixtures/{gpx,tcx} imported as its manifest says, by
 * each path a file takes: the CLI's collector (folders), a zip of them, and the inbox watcher.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWatcher, type InboxWatcher } from '../../src/daemon/watch/watcher.ts';
import { importPaths, type ImportReport } from '../../src/import/pipeline.ts';
import { silentLogger } from '../../src/log.ts';
import { Store } from '../../src/store/index.ts';
import { ManualClock } from '../support/clock.ts';
import {
  FIXTURES_GPX,
  FIXTURES_TCX,
  HAVE_XML_FIXTURES,
  SKIP_XML_FIXTURES_NOTE,
  tempDir,
} from '../support/paths.ts';
import { XML_FIXTURES, expectAsManifest, type FileOutcome } from '../support/xml-manifest.ts';
import { makeZip } from '../support/zip.ts';

const ctx = { timezone: 'Europe/Berlin' };
const now = () => '2026-12-01T12:00:00.000Z';

/** What a report says of one file (or archive member), by its label. */
function outcomeOf(reports: ImportReport[], file: string): FileOutcome {
  const skipped = reports.flatMap((r) => r.skipped).find((s) => s.file === file);
  const failed = reports.flatMap((r) => r.failed).find((f) => f.file === file);
  return {
    imported: reports.flatMap((r) => r.imported.filter((i) => i.file === file).map((i) => i.run)),
    duplicate: reports.some((r) => r.duplicates.some((d) => d.file === file)),
    ...(skipped && { skipped: skipped.reason }),
    ...(failed && { failed: failed.error }),
  };
}

const reportedOnce = (reports: ImportReport[], file: string): number => {
  const o = outcomeOf(reports, file);
  return (
    (o.imported.length > 0 ? 1 : 0) +
    (o.duplicate ? 1 : 0) +
    (o.skipped === undefined ? 0 : 1) +
    (o.failed === undefined ? 0 : 1)
  );
};

describe.skipIf(!HAVE_XML_FIXTURES)(`real GPX and TCX files${SKIP_XML_FIXTURES_NOTE}`, () => {
  const stores: Store[] = [];
  const open = () => {
    const s = Store.open(tempDir('kneecheck-xml-'));
    stores.push(s);
    return s;
  };
  afterAll(() => {
    for (const s of stores) s.close();
  });

  describe('through the collector, as `kneecheck import <folders>` reads them', () => {
    let report: ImportReport;
    let again: ImportReport;
    beforeAll(async () => {
      const store = open();
      report = await importPaths([FIXTURES_GPX, FIXTURES_TCX], { store, ctx, now });
      again = await importPaths([FIXTURES_GPX, FIXTURES_TCX], { store, ctx, now });
    });
    for (const e of XML_FIXTURES) {
      it(`${e.kind}/${e.file}: ${e.outcome}`, () => {
        expect(reportedOnce([report], e.path)).toBe(1);
        expectAsManifest(e, outcomeOf([report], e.path));
      });
    }
    it('finds nothing new the second time', () => {
      expect(again.imported).toEqual([]);
      expect(again.failed.map((f) => f.file)).toEqual(report.failed.map((f) => f.file));
    });
  });

  describe('as members of a zip export (gpx/ and tcx/ folders inside)', () => {
    let report: ImportReport;
    let zip: string;
    beforeAll(async () => {
      const members: Record<string, Uint8Array> = {};
      for (const e of XML_FIXTURES) members[`${e.kind}/${e.file}`] = fs.readFileSync(e.path);
      zip = path.join(tempDir(), 'export.zip');
      fs.writeFileSync(zip, makeZip(members));
      report = await importPaths([zip], { store: open(), ctx, now });
    });
    for (const e of XML_FIXTURES) {
      it(`${e.kind}/${e.file}: ${e.outcome}`, () => {
        const label = `${zip}!${e.kind}/${e.file}`;
        expect(reportedOnce([report], label)).toBe(1);
        expectAsManifest(e, outcomeOf([report], label));
      });
    }
  });

  describe('dropped into the inbox', () => {
    const reports: ImportReport[] = [];
    let inbox: string;
    let watcher: InboxWatcher;
    beforeAll(async () => {
      const data = tempDir('kneecheck-xml-inbox-');
      inbox = path.join(data, 'inbox');
      for (const e of XML_FIXTURES) {
        fs.mkdirSync(path.join(inbox, e.kind), { recursive: true });
        fs.copyFileSync(e.path, path.join(inbox, e.kind, e.file));
      }
      const clock = new ManualClock();
      watcher = await startWatcher({
        inbox,
        store: open(),
        timezone: ctx.timezone,
        logger: silentLogger,
        clock,
        onImported: (r) => {
          reports.push(r);
        },
      });
      const left = () =>
        XML_FIXTURES.filter((e) => fs.existsSync(path.join(inbox, e.kind, e.file))).length;
      await clock.runUntil(
        'every file filed away',
        () => left() === 0,
        () => watcher.importing,
      );
      await clock.runUntil(
        'the watcher idle',
        () => !watcher.busy,
        () => watcher.importing,
      );
    });
    afterAll(() => watcher.close());
    for (const e of XML_FIXTURES) {
      it(`${e.kind}/${e.file}: ${e.outcome}, then moved out of the inbox`, () => {
        const file = path.join(inbox, e.kind, e.file);
        expect(reportedOnce(reports, file)).toBe(1);
        const o = outcomeOf(reports, file);
        expectAsManifest(e, o);
        const to = o.failed === undefined ? 'processed' : 'failed';
        expect(fs.existsSync(path.join(inbox, to, e.kind, e.file)), `${e.file} in ${to}/`).toBe(
          true,
        );
        if (o.failed !== undefined) {
          const note = fs.readFileSync(
            path.join(inbox, 'failed', e.kind, `${e.file}.error.txt`),
            'utf8',
          );
          expect(note).toMatch(/What you can do: The file is damaged/);
        }
      });
    }
  });
});
