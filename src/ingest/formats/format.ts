// The contract every input format implements. Adding a format means adding a module that
// exports one of these and listing it in registry.ts; the pipeline never changes.
import type { Location, ReadItem } from '../../model/records.ts';

export type ReaderInput = {
  path: string;
  /** Where a previous, interrupted run stopped; readers that cannot seek may re-read and skip. */
  from: Location;
  /** Format-specific settings, e.g. a CSV column mapping. */
  options: ReaderOptions;
};

export type ReaderOptions = {
  /** A column mapping (CSV) or a site-database mapping (dumps), as given with --mapping. */
  mapping?: unknown;
  /** The handle of the device's owner, for formats that do not name it (an SMS backup). */
  owner?: string;
  /**
   * The name the file is reported under when it differs from `path`: for an archive member
   * `archive.zip!/dir/member` (its unpacked path lies in a scratch folder, and names nothing).
   */
  label?: string;
};

export type FormatReader = {
  name: string;
  description: string;
  /** How sure the reader is (0..1) that a file with this start and name is its format. */
  detect(head: string, path: string): number;
  read(input: ReaderInput): AsyncGenerator<ReadItem>;
  /**
   * What `lode inspect` shows beyond the format's name: a dump's tables and proposed mapping,
   * a chat's participants and date order. JSON-friendly; optional.
   */
  inspect?(path: string, options: ReaderOptions): Promise<Record<string, unknown>>;
};

/** A file the reader cannot read at all (as opposed to a bad record, which is quarantined). */
export class FormatError extends Error {}
