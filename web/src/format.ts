// How numbers and times read in the workbench. Times are shown in UTC, as stored and as the query
// language reads them (docs/QUERY.md), with the zone written out so nobody takes them for local.
import type { Language } from './i18n.tsx';

const LOCALES: Record<Language, string> = { en: 'en-GB', nl: 'nl-NL' };

export function formatNumber(n: number, language: Language): string {
  return n.toLocaleString(LOCALES[language]);
}

/** `2020-04-01 12:34:56` (UTC): fixed width, sortable, the same in both languages. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

export function formatDay(iso: string | undefined): string {
  return iso ? iso.slice(0, 10) : '—';
}

export function formatBytes(bytes: number, language: Language): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toLocaleString(LOCALES[language], { maximumFractionDigits: unit === 0 ? 0 : 1 })} ${units[unit]}`;
}

/** A value as a query-language field value: quoted when it holds anything but plain characters. */
export function fieldValue(value: string): string {
  return /^[\p{L}\p{N}_.@+-]+$/u.test(value) ? value : `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Datasets made by `lode generate` say so in their name: the workbench marks them synthetic. */
export function isSynthetic(dataset: string): boolean {
  return /synthetic|demo/i.test(dataset);
}
