/**
 * GPX and TCX files written by the tests (real bytes, as watches and apps write them), so the
 * importers' suites run without the shared fixtures.
 */

/** One recorded stretch: points every `stepS` seconds for `durationS`, at `speedMps`. */
export interface Stretch {
  durationS: number;
  speedMps: number;
  /** Cadence as the writer puts it in each point (one leg's strides/min or full steps/min); null: none. */
  cadence: number | null;
  heartRateBpm?: number | null;
  /** Pause before this stretch, s (a new GPX segment / TCX Track). */
  pauseBeforeS?: number;
}

export interface XmlRunSpec {
  start: Date;
  stretches: Stretch[];
  /** Seconds between points (default 1). */
  stepS?: number;
  /** Start position (default Berlin). */
  lat?: number;
  lon?: number;
  /** GPX `<type>` / TCX `Sport` (default running / Running). */
  sport?: string;
  /** GPX `creator` / TCX Creator Name. */
  device?: string;
  /** Leave `<time>` out of every point (a planned route). */
  noTimes?: boolean;
  /** GPX: each point's two sibling `<extensions>` (TrackPointExtension, then a power one), as Apple exporters write. */
  twoExtensions?: boolean;
  /** TCX: put the cadence in `<Cadence>` (bike rpm, or Polar's running cadence) instead of RunCadence. */
  plainCadence?: boolean;
  /** TCX: `<Id>` cut to the minute, as Garmin Connect writes it. */
  idToMinute?: boolean;
}

/** Metres per degree of latitude on the fixtures' sphere (R = 6,371,008.8 m). */
const M_PER_DEG = (6_371_008.8 * Math.PI) / 180;

interface Pt {
  t: Date;
  lat: number;
  lon: number;
  distM: number;
  cad: number | null;
  hr: number | null;
  stretch: number;
}

/** The points of a spec, north along a meridian (so distance is exactly speed × time). */
export function pointsOf(spec: XmlRunSpec): Pt[] {
  const step = spec.stepS ?? 1;
  const lat0 = spec.lat ?? 52.5;
  const lon = spec.lon ?? 13.4;
  let t = spec.start.getTime();
  let dist = 0;
  const out: Pt[] = [];
  spec.stretches.forEach((s, k) => {
    if (k > 0) t += (s.pauseBeforeS ?? 0) * 1000;
    for (let i = 0; i <= s.durationS / step; i++) {
      if (i > 0) {
        t += step * 1000;
        dist += s.speedMps * step;
      }
      out.push({
        t: new Date(t),
        lat: lat0 + dist / M_PER_DEG,
        lon,
        distM: dist,
        cad: s.cadence,
        hr: s.heartRateBpm ?? 140,
        stretch: k,
      });
    }
  });
  return out;
}

const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');

/** A GPX 1.1 file of the spec: one `<trk>`, one `<trkseg>` per stretch, Garmin's TrackPointExtension. */
export function gpxOf(spec: XmlRunSpec): string {
  const pts = pointsOf(spec);
  const segs: string[] = [];
  let cur: string[] = [];
  pts.forEach((p, i) => {
    if (i > 0 && p.stretch !== (pts[i - 1] as Pt).stretch) {
      segs.push(`<trkseg>${cur.join('')}</trkseg>`);
      cur = [];
    }
    const tpx = `<gpxtpx:TrackPointExtension>${p.hr === null ? '' : `<gpxtpx:hr>${p.hr}</gpxtpx:hr>`}${p.cad === null ? '' : `<gpxtpx:cad>${p.cad}</gpxtpx:cad>`}</gpxtpx:TrackPointExtension>`;
    const ext = spec.twoExtensions
      ? `<extensions>${tpx}</extensions><extensions><power>200</power></extensions>`
      : `<extensions>${tpx}</extensions>`;
    cur.push(
      `\n   <trkpt lat="${p.lat.toFixed(7)}" lon="${p.lon.toFixed(7)}"><ele>40.0</ele>${spec.noTimes ? '' : `<time>${iso(p.t)}</time>`}${ext}</trkpt>`,
    );
  });
  segs.push(`<trkseg>${cur.join('')}</trkseg>`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<gpx creator="${spec.device ?? 'Garmin Connect'}" version="1.1" xmlns="http://www.topografix.com/GPX/1/1" xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
 <metadata><time>${iso(spec.start)}</time></metadata>
 <trk><name>Test run</name><type>${spec.sport ?? 'running'}</type>
  ${segs.join('\n  ')}
 </trk>
</gpx>
`;
}

/** A TCX file of the spec: one Lap per stretch (its own totals), RunCadence in the TPX extension. */
export function tcxOf(spec: XmlRunSpec): string {
  const pts = pointsOf(spec);
  const laps = spec.stretches.map((s, k) => {
    const mine = pts.filter((p) => p.stretch === k);
    const first = mine[0] as Pt;
    const last = mine.at(-1) as Pt;
    const before = k > 0 ? (pts.filter((p) => p.stretch === k - 1).at(-1) as Pt).distM : 0;
    const points = mine.map((p) => {
      const cad = p.cad === null ? '' : spec.plainCadence ? `<Cadence>${p.cad}</Cadence>` : '';
      const ext = `<Extensions><ns3:TPX><ns3:Speed>${(spec.stretches[p.stretch] as Stretch).speedMps}</ns3:Speed>${p.cad !== null && !spec.plainCadence ? `<ns3:RunCadence>${p.cad}</ns3:RunCadence>` : ''}</ns3:TPX></Extensions>`;
      return `\n       <Trackpoint><Time>${iso(p.t)}</Time><Position><LatitudeDegrees>${p.lat.toFixed(7)}</LatitudeDegrees><LongitudeDegrees>${p.lon.toFixed(7)}</LongitudeDegrees></Position><AltitudeMeters>40.0</AltitudeMeters><DistanceMeters>${p.distM.toFixed(2)}</DistanceMeters>${p.hr === null ? '' : `<HeartRateBpm><Value>${p.hr}</Value></HeartRateBpm>`}${cad}${ext}</Trackpoint>`;
    });
    const time = (last.t.getTime() - first.t.getTime()) / 1000;
    return `
   <Lap StartTime="${iso(first.t)}">
    <TotalTimeSeconds>${time}</TotalTimeSeconds>
    <DistanceMeters>${(last.distM - before).toFixed(2)}</DistanceMeters>
    <Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod>
    <Track>${points.join('')}
    </Track>
   </Lap>`;
  });
  const id = new Date(spec.start);
  if (spec.idToMinute) id.setUTCSeconds(0, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">
 <Activities>
  <Activity Sport="${spec.sport ?? 'Running'}">
   <Id>${iso(id)}</Id>${laps.join('')}
   <Creator xsi:type="Device_t" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Name>${spec.device ?? 'Forerunner 945'}</Name><UnitId>1</UnitId><ProductID>3113</ProductID></Creator>
  </Activity>
 </Activities>
 <Author xsi:type="Application_t" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Name>Connect Api</Name></Author>
</TrainingCenterDatabase>
`;
}

/** A steady run: `minutes` at `speedMps` with a constant cadence as written. */
export const steadyRun = (
  start: Date,
  minutes: number,
  cadence: number | null,
  speedMps = 2.8,
): XmlRunSpec => ({ start, stretches: [{ durationS: minutes * 60, speedMps, cadence }] });
