import { SaxesParser, type SaxesTagPlain } from 'saxes';

/** One point of a workout route: unix seconds, position (degrees), speed (m/s) when written. */
export interface RoutePoint {
  tS: number;
  lat: number;
  lon: number;
  speedMps: number | null;
}

/**
 * The points of a route GPX file written by Apple Health (`workout-routes/route_….gpx`): a
 * `trkpt` with `lat`/`lon`, a UTC `<time>` and a `<speed>` extension. A small reader of its own
 * (Apple's routes carry nothing else a run needs); points without a time or position are left
 * out. Returns null when the text is not XML with at least one such point.
 */
export function parseRoute(text: string): RoutePoint[] | null {
  const sax = new SaxesParser({ position: false });
  const points: RoutePoint[] = [];
  let broken = false;
  let cur: { lat: number; lon: number; tS: number; speedMps: number | null } | null = null;
  let field: 'time' | 'speed' | null = null;
  let text_ = '';
  sax.on('error', () => {
    broken = true;
  });
  sax.on('opentag', (t) => {
    const tag = t as SaxesTagPlain;
    const name = localName(tag.name);
    if (name === 'trkpt') {
      cur = {
        lat: Number(tag.attributes.lat),
        lon: Number(tag.attributes.lon),
        tS: NaN,
        speedMps: null,
      };
    } else if (cur && (name === 'time' || name === 'speed')) {
      field = name;
      text_ = '';
    }
  });
  sax.on('text', (t) => {
    if (field) text_ += t;
  });
  sax.on('closetag', (t) => {
    const name = localName(t.name);
    if (cur && field === name) {
      if (field === 'time') cur.tS = Date.parse(text_.trim()) / 1000;
      else {
        const v = Number(text_.trim());
        cur.speedMps = Number.isFinite(v) && v >= 0 ? v : null;
      }
      field = null;
    } else if (name === 'trkpt' && cur) {
      const p: RoutePoint = cur;
      if (Number.isFinite(p.tS) && Number.isFinite(p.lat) && Number.isFinite(p.lon)) points.push(p);
      cur = null;
    }
  });
  try {
    sax.write(text).close();
  } catch {
    broken = true;
  }
  return points.length === 0 && broken ? null : points;
}

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance between two points, m (haversine on the mean Earth radius). */
export function haversineM(a: RoutePoint, b: RoutePoint): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}
