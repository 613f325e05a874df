// Geographic coordinates: decimal "lat, lon" pairs, degrees-minutes-seconds, and map links
// (Google, Apple, OpenStreetMap) that carry a position. Values are "lat,lon" with 5 decimals
// (about a metre), so the same spot written two ways compares equal.

import { trimUrl } from './url.ts';
import type { EntityMention } from './types.ts';

/**
 * Decimal pairs need decimals on both numbers and at least six in all: "12.50, 13.75" is a
 * price list, "51.9225, 4.47917" a position.
 */
const DECIMAL_PAIR = /(?<![\p{L}\p{N}_.,-])(-?\d{1,2}\.(\d{2,8})) ?, ?(-?\d{1,3}\.(\d{2,8}))(?![\p{L}\p{N}_]|[.,]\d)/gu;
const MIN_DECIMALS = 6;
const DMS = /(?<![\p{L}\p{N}_])(\d{1,2})° ?(\d{1,2})['′’] ?(\d{1,2}(?:[.,]\d+)?)(?:["″”]|'') ?([NSns])[ ,]*(\d{1,3})° ?(\d{1,2})['′’] ?(\d{1,2}(?:[.,]\d+)?)(?:["″”]|'') ?([EWew])(?![\p{L}\p{N}_])/gu;
const MAP_LINK = /(?<![\p{L}\p{N}_])https?:\/\/(?:www\.)?(?:google\.[a-z.]{2,6}\/maps|maps\.google\.[a-z.]{2,6}|maps\.apple\.com|(?:www\.)?openstreetmap\.org|osm\.org)[^\s<>"'`{}|\\^\p{Extended_Pictographic}\u200d\ufe0f]*/giu;
const POSITION_IN_LINK = [
  /@(-?\d{1,2}\.\d+),(-?\d{1,3}\.\d+)/,
  /[?&](?:q|ll|sll|query|daddr|center|destination)=(-?\d{1,2}\.\d+)(?:,|%2C)\s?(-?\d{1,3}\.\d+)/i,
  /[?&]mlat=(-?\d{1,2}\.\d+)&mlon=(-?\d{1,3}\.\d+)/i,
  /#map=\d+\/(-?\d{1,2}\.\d+)\/(-?\d{1,3}\.\d+)/,
];

export function extractCoordinates(text: string): EntityMention[] {
  const found: EntityMention[] = [];
  if (text.includes('.')) {
    DECIMAL_PAIR.lastIndex = 0;
    for (let match = DECIMAL_PAIR.exec(text); match !== null; match = DECIMAL_PAIR.exec(text)) {
      if ((match[2] ?? '').length + (match[4] ?? '').length < MIN_DECIMALS) continue;
      const value = coordinateValue(Number(match[1]), Number(match[3]));
      if (value !== undefined) found.push({ type: 'coordinates', value, start: match.index, end: match.index + match[0].length });
    }
    MAP_LINK.lastIndex = 0;
    for (let match = MAP_LINK.exec(text); match !== null; match = MAP_LINK.exec(text)) {
      const link = trimUrl(match[0]);
      const value = positionInLink(link);
      if (value !== undefined) found.push({ type: 'coordinates', value, start: match.index, end: match.index + link.length });
    }
  }
  if (text.includes('°')) {
    DMS.lastIndex = 0;
    for (let match = DMS.exec(text); match !== null; match = DMS.exec(text)) {
      const lat = degrees(match[1], match[2], match[3], match[4]);
      const lon = degrees(match[5], match[6], match[7], match[8]);
      const value = coordinateValue(lat, lon);
      if (value !== undefined) found.push({ type: 'coordinates', value, start: match.index, end: match.index + match[0].length });
    }
  }
  return found;
}

function positionInLink(link: string): string | undefined {
  for (const pattern of POSITION_IN_LINK) {
    const match = pattern.exec(link);
    if (match) return coordinateValue(Number(match[1]), Number(match[2]));
  }
  return undefined;
}

/** Decimal degrees from DMS parts. "O" is left out: it is east in Dutch (oost) and west in French (ouest). */
function degrees(d = '0', m = '0', s = '0', hemisphere = 'N'): number {
  const minutes = Number(m);
  const seconds = Number(s.replace(',', '.'));
  if (minutes >= 60 || seconds >= 60) return Number.NaN;
  const value = Number(d) + minutes / 60 + seconds / 3600;
  return /[SWsw]/.test(hemisphere) ? -value : value;
}

function coordinateValue(lat: number, lon: number): string | undefined {
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return undefined;
  if (lat === 0 && lon === 0) return undefined;
  return lat.toFixed(5) + ',' + lon.toFixed(5);
}

export function normaliseCoordinates(input: string): string | undefined {
  const trimmed = input.trim();
  const found = extractCoordinates(trimmed);
  return found.length === 1 && found[0]?.start === 0 && found[0].end === trimmed.length ? found[0].value : undefined;
}
