// Progress lines go to stderr, so stdout holds only the report (Markdown or JSON).

export function log(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}
