// A synthetic credential leak ("combo list") for the demo and the check's benchmarks: one
// `address:password` a line, addresses under example domains (no one gets mail there), and
// passwords drawn so that common ones repeat, as in real leaks: the range API then has counts
// above one to show.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Rng } from './rng.ts';

const GIVEN = ['jan', 'sanne', 'mohamed', 'emma', 'daan', 'fleur', 'noah', 'lotte', 'sem', 'julia', 'lucas', 'tess', 'finn', 'anna', 'milan', 'sara', 'levi', 'eva'];
const FAMILY = ['devries', 'jansen', 'bakker', 'visser', 'smit', 'meijer', 'mulder', 'bos', 'vos', 'peters', 'hendriks', 'dijkstra', 'elmoussaoui', 'yilmaz', 'peeters', 'maes'];
const DOMAINS = ['ziggo.example.nl', 'kpnmail.example.nl', 'telenet.example.be', 'gmail.example.com', 'outlook.example.com', 'home.example.nl'];
const COMMON = ['welkom01', 'Zomer2020!', 'wachtwoord', 'qwerty123', '123456', 'Voetbal1', 'ajax1900', 'iloveyou', 'Welkom123', 'geheim'];

/** The n-th line of the list for a seed: the same seed and n give the same credential. */
export function demoCredential(rng: Rng, n: number): { address: string; password: string } {
  const address = `${rng.pick(GIVEN)}.${rng.pick(FAMILY)}${n}@${rng.pick(DOMAINS)}`;
  const password = rng.chance(0.4) ? rng.pick(COMMON) : `${rng.pick(GIVEN)}${rng.digits(rng.range(2, 4))}${rng.chance(0.3) ? '!' : ''}`;
  return { address, password };
}

export async function writeDemoCombolist(options: { lines: number; seed: number; out: string }): Promise<{ first: string }> {
  const rng = new Rng(options.seed, 7);
  const file = createWriteStream(options.out);
  let first = '';
  for (let n = 1; n <= options.lines; n++) {
    const { address, password } = demoCredential(rng, n);
    if (n === 1) first = address;
    if (!file.write(`${address}:${password}\n`)) await once(file, 'drain');
  }
  file.end();
  await once(file, 'finish');
  return { first };
}
