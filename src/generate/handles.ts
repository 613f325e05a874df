// EncroChat-style handles and the aliases owners give their contacts. Real
// EncroChat users picked one-word nicknames (animals, brands, film villains)
// often with digits; owners then saved contacts under names that leak who the
// person is, which is how analysts unmask handles.

import type { Rng } from './rng.ts';
import type { Lang } from './entities.ts';

const HANDLE_WORDS = [
  'tapeworm', 'jaguar', 'ghost', 'blackbird', 'ijsbeer', 'scarface', 'panter', 'cobra', 'viper', 'falcon', 'wolf', 'tijger', 'leeuw', 'haai', 'shark', 'eagle', 'raven', 'kraai', 'vos',
  'fox', 'bulldog', 'pitbull', 'rottweiler', 'mamba', 'python', 'scorpion', 'schorpioen', 'spin', 'spider', 'hornet', 'wesp', 'bee', 'buffel', 'buffalo', 'rhino', 'neushoorn', 'gorilla', 'kong',
  'monkey', 'aap', 'ezel', 'donkey', 'stier', 'bull', 'bizon', 'moose', 'eland', 'hert', 'vlinder', 'butterfly', 'dolphin', 'dolfijn', 'orca', 'walvis', 'octopus', 'inktvis', 'piranha', 'barracuda',
  'ferrari', 'lambo', 'bugatti', 'porsche', 'rolex', 'patek', 'audemars', 'gucci', 'prada', 'versace', 'chanel', 'moncler', 'nike', 'jordan', 'mercedes', 'bentley', 'maserati', 'ducati', 'yamaha',
  'tony', 'montana', 'escobar', 'pablo', 'elchapo', 'capone', 'gotti', 'corleone', 'soprano', 'heisenberg', 'walter', 'pinkman', 'shelby', 'tommy', 'joker', 'bane', 'batman', 'venom', 'thanos',
  'dragon', 'draak', 'phoenix', 'feniks', 'sphinx', 'titan', 'zeus', 'hades', 'ares', 'odin', 'thor', 'loki', 'apollo', 'spartan', 'ninja', 'samurai', 'shogun', 'ronin', 'viking',
  'diamond', 'diamant', 'goud', 'gold', 'silver', 'zilver', 'platinum', 'ruby', 'saffier', 'emerald', 'crystal', 'kristal', 'ice', 'frost', 'storm', 'thunder', 'donder', 'bliksem', 'lightning',
  'tornado', 'tsunami', 'vulkaan', 'volcano', 'rocket', 'raket', 'sniper', 'bullet', 'kogel', 'trigger', 'hammer', 'hamer', 'anchor', 'anker', 'kapitein', 'captain', 'admiral', 'general', 'major',
  'boss', 'baas', 'king', 'koning', 'prins', 'prince', 'sultan', 'sheikh', 'emir', 'pharao', 'farao', 'caesar', 'napoleon', 'maestro', 'professor', 'dokter', 'doctor', 'chemist', 'chef', 'kok',
  'pizza', 'taco', 'burrito', 'banaan', 'banana', 'mango', 'ananas', 'kokosnoot', 'citroen', 'limoen', 'peper', 'chili', 'paprika', 'kaneel', 'gember', 'suiker', 'sugar', 'honey', 'honing',
  'panda', 'koala', 'kangoeroe', 'pinguin', 'penguin', 'flamingo', 'papegaai', 'parrot', 'toekan', 'pelikaan', 'uil', 'owl', 'havik', 'hawk', 'condor', 'gier', 'vulture', 'zwaan', 'swan',
  'mercurius', 'saturnus', 'jupiter', 'pluto', 'neptunus', 'orion', 'sirius', 'nova', 'comet', 'komeet', 'meteor', 'galaxy', 'cosmos', 'nebula', 'eclipse', 'zenith', 'horizon', 'polaris',
  'chicago', 'miami', 'medellin', 'cali', 'bogota', 'panama', 'havana', 'dubai', 'tanger', 'nador', 'marbella', 'ibiza', 'monaco', 'sicilia', 'napoli', 'tokyo', 'bangkok', 'caracas',
  'mocro', 'sahbi', 'habibi', 'wollah', 'doekoe', 'patta', 'waggie', 'osso', 'skeer', 'fissa', 'mattie', 'strijder', 'soldaat', 'soldier', 'ghostface', 'shadow', 'schaduw', 'stealth', 'phantom',
  'lacoste', 'stone', 'island', 'bape', 'supreme', 'trapstar', 'corteiz', 'palace', 'goose', 'canada', 'northface', 'arcteryx', 'salomon', 'asics', 'puma', 'reebok', 'adidas', 'fila',
  'frérot', 'lecaid', 'leboss', 'papito', 'hermano', 'amigo', 'gringo', 'loco', 'flaco', 'gordo', 'chino', 'negro', 'blanco', 'rojo', 'verde', 'azul', 'oro', 'plata', 'plomo', 'fuego',
];

const HANDLE_PREFIXES = ['black', 'white', 'red', 'blue', 'green', 'dark', 'big', 'lil', 'mad', 'crazy', 'mister', 'el', 'don', 'super', 'ice', 'gold', 'zwarte', 'witte', 'grote', 'kleine', 'le', 'royal'];

/** Unique handles; the `taken` set is the only per-account state it needs. */
export function makeHandle(rng: Rng, taken: Set<string>): string {
  for (let attempt = 0; ; attempt++) {
    let h = rng.pick(HANDLE_WORDS);
    const r = rng.next();
    if (r < 0.12) h = rng.pick(HANDLE_PREFIXES) + h;
    else if (r < 0.16) h = h + rng.pick(['x', 'z', '_nl', 'nl', '010', '020', 'kush', 'man', 'boy']);
    const s = rng.next();
    if (attempt > 3 || s < 0.45) {
      if (s < 0.7 || attempt > 3) h += rng.pick(['1', '2', '3', '7', '9']) + (attempt > 6 || rng.chance(0.7) ? rng.digits(1) : '');
      else h += rng.digits(attempt > 6 ? 4 : 3);
    }
    if (!taken.has(h)) {
      taken.add(h);
      return h;
    }
  }
}

interface FirstName {
  full: string;
  short: readonly string[];
}

const FIRST_NAMES: Readonly<Record<Lang, readonly FirstName[]>> = {
  nl: [
    { full: 'Mohamed', short: ['Mo', 'Moh', 'Momo', 'Mohammed'] }, { full: 'Ridouan', short: ['Rido', 'Ridou'] }, { full: 'Naoufal', short: ['Nouf', 'Naouf'] }, { full: 'Youssef', short: ['Yous', 'Joes'] },
    { full: 'Anouar', short: ['Nouar', 'Anwar'] }, { full: 'Said', short: ['Saïd', 'Sa'] }, { full: 'Rachid', short: ['Ras', 'Rach'] }, { full: 'Bilal', short: ['Bil', 'Bill'] },
    { full: 'Ricardo', short: ['Rico', 'Ricky'] }, { full: 'Dennis', short: ['Den', 'Denn'] }, { full: 'Sem', short: ['Semmie', 'Sem'] }, { full: 'Gerrit', short: ['Gert', 'Ger'] },
    { full: 'Jeroen', short: ['Jer', 'Jeroentje'] }, { full: 'Mehmet', short: ['Memo', 'Memet'] }, { full: 'Romano', short: ['Ro', 'Rom'] }, { full: 'Kevin', short: ['Kev', 'Kefke'] },
    { full: 'Soufiane', short: ['Souf', 'Sofiane'] }, { full: 'Abdelkarim', short: ['Karim', 'Abdel'] }, { full: 'Nordin', short: ['Nor', 'Noordin'] }, { full: 'Tarik', short: ['Tar', 'Tariq'] },
    { full: 'Hamza', short: ['Ham', 'Hamz'] }, { full: 'Ilias', short: ['Ili', 'Elias'] }, { full: 'Ferdi', short: ['Fer', 'Ferre'] }, { full: 'Danny', short: ['Dan', 'Dani'] },
    { full: 'Giovanni', short: ['Gio', 'Van'] }, { full: 'Steven', short: ['Stef', 'Stevie'] }, { full: 'Ayoub', short: ['Ayo', 'Job'] }, { full: 'Jermaine', short: ['Jer', 'Maine'] },
  ],
  en: [
    { full: 'Daniel', short: ['Danny', 'Dan'] }, { full: 'Christopher', short: ['Chris', 'Kit'] }, { full: 'Patrick', short: ['Paddy', 'Pat'] }, { full: 'Liam', short: ['Li', 'Liamo'] },
    { full: 'Michael', short: ['Mick', 'Mikey'] }, { full: 'Thomas', short: ['Tommy', 'Tom'] }, { full: 'Darren', short: ['Dazza', 'Daz'] }, { full: 'Jamal', short: ['Jay', 'Jams'] },
    { full: 'Niall', short: ['Ni', 'Nially'] }, { full: 'Gerard', short: ['Gerry', 'Ger'] }, { full: 'Anthony', short: ['Tony', 'Ant'] }, { full: 'Connor', short: ['Con', 'Conn'] },
    { full: 'Stephen', short: ['Steo', 'Stevie'] }, { full: 'Kieran', short: ['Kier', 'Kez'] }, { full: 'Jerome', short: ['Rome', 'Jez'] }, { full: 'Terrence', short: ['Tel', 'Terry'] },
  ],
  fr: [
    { full: 'Mohamed', short: ['Momo', 'Mo', 'Mohammed'] }, { full: 'Karim', short: ['Kiki', 'Kar'] }, { full: 'Yanis', short: ['Yaya', 'Yan'] }, { full: 'Sofiane', short: ['Sof', 'Sofi'] },
    { full: 'Mehdi', short: ['Med', 'Mehd'] }, { full: 'Nordine', short: ['Nono', 'Nord'] }, { full: 'Abdelkader', short: ['Kader', 'Abdel'] }, { full: 'Samir', short: ['Sam', 'Sami'] },
    { full: 'Jean-Baptiste', short: ['JB', 'Jean'] }, { full: 'Mickaël', short: ['Mika', 'Mick'] }, { full: 'Ilyes', short: ['Ily', 'Iliès'] }, { full: 'Farid', short: ['Fa', 'Far'] },
    { full: 'Djibril', short: ['Dji', 'Jibril'] }, { full: 'Kevin', short: ['Kev', 'Kéké'] }, { full: 'Nabil', short: ['Nab', 'Nabs'] },
  ],
};

const LAST_NAMES: Readonly<Record<Lang, readonly string[]>> = {
  nl: ['Bakkal', 'El Amrani', 'Bouchikhi', 'Ait Taleb', 'Boukhari', 'Ouali', 'Haddouchi', 'Benali', 'Tahiri', 'El Khatib', 'Riffi', 'Azzouz', 'de Vries', 'Jansen', 'van Dijk', 'Smit', 'Bakker', 'Visser', 'de Groot', 'Mulder', 'Yilmaz', 'Kaya', 'Demir', 'Pinas', 'Martina', 'Kooistra', 'Hoekstra', 'van der Berg', 'Koster', 'Brouwer'],
  en: ['Murphy', 'Byrne', 'Kelly', 'Doyle', 'Walsh', 'Gallagher', 'Keane', 'Quinn', 'Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Evans', 'Campbell', 'Okafor', 'Mensah', 'Hughes', 'Ward', 'Maguire'],
  fr: ['Benhamou', 'Belkacem', 'Boudjellal', 'Haddad', 'Mansouri', 'Cherif', 'Ziani', 'Bensaïd', 'Dupont', 'Martin', 'Lefèvre', 'Moreau', 'Rossi', 'Santoni', 'Traoré', 'Diallo', 'Amrani', 'Kaci'],
};

export interface RealName {
  first: FirstName;
  last: string;
}

export function makeRealName(rng: Rng, lang: Lang): RealName {
  return { first: rng.pick(FIRST_NAMES[lang]), last: rng.pick(LAST_NAMES[lang]) };
}

export function canonicalName(n: RealName): string {
  return n.first.full + ' ' + n.last;
}

/** Spellings different owners would independently save for the same person. */
export function realNameAlias(rng: Rng, n: RealName): string {
  const short = rng.pick(n.first.short);
  const last = n.last;
  const initial = last.replace(/^(van der |van |de |el |ait )/i, '')[0] ?? last[0] ?? '';
  const surnameCore = last.toLowerCase();
  const r = rng.int(11);
  let alias: string;
  switch (r) {
    case 0: alias = n.first.full + ' ' + last; break;
    case 1: alias = n.first.full + ' ' + initial; break;
    case 2: alias = short + ' ' + initial + '.'; break;
    case 3: alias = short.toLowerCase() + ' ' + surnameCore; break;
    case 4: alias = n.first.full[0] + '. ' + last; break;
    case 5: alias = short + ' ' + last; break;
    case 6: alias = n.first.full + ' ' + initial + '.'; break;
    case 7: alias = (n.first.full + ' ' + last).toUpperCase(); break;
    case 8: alias = short + ' ' + last + ' ' + rng.pick(['🇲🇦', '💰', '🔥', '👑', '⚽', '🚗']); break;
    case 9: alias = last; break;
    default: alias = n.first.full.toLowerCase() + ' ' + initial.toLowerCase();
  }
  return alias;
}

const DESCRIPTORS: Readonly<Record<Lang, readonly string[]>> = {
  nl: ['kapper', 'garage', 'amsterdam', 'rotterdam', 'zuid', 'west', 'a\'dam', '010', 'bmw', 'audi', 'sport', 'werk', 'oud', 'nieuw', '2', 'telefoon', 'shisha', 'marokko', 'spanje', 'dubai', 'haven', 'taxi', 'snackbar', 'belgie', 'brabant'],
  en: ['barber', 'garage', 'liverpool', 'dublin', 'london', 'gym', 'work', 'old', 'new', '2', 'phones', 'taxi', 'spain', 'dubai', 'docks', 'cars', 'kebab'],
  fr: ['coiffeur', 'garage', 'marseille', 'paris', 'cité', 'snack', 'taxi', 'boulot', 'ancien', 'nouveau', '2', 'bled', 'espagne', 'dubaï', 'port', 'tél'],
};
const KIN: Readonly<Record<Lang, readonly string[]>> = {
  nl: ['neef', 'broer', 'oom', 'neefje', 'schoonbroer', 'broertje', 'mijn broer', 'zwager', 'achterneef'],
  en: ['cousin', 'bro', 'uncle', 'brother in law', 'lil bro', 'cuz'],
  fr: ['cousin', 'frérot', 'tonton', 'beau-frère', 'le frère', 'petit frère'],
};
const SIZE_WORDS: Readonly<Record<Lang, readonly string[]>> = {
  nl: ['Dikke', 'Kleine', 'Lange', 'Gekke', 'Ouwe', 'Stille', 'Rooie', 'Mooie', 'Kale'],
  en: ['Big', 'Little', 'Mad', 'Fat', 'Tall', 'Young', 'Old'],
  fr: ['Gros', 'Petit', 'Grand', 'Le fou', 'Le vieux', 'Le chauve'],
};
const STREET_NAMES = ['Ap', 'Dino', 'Pietje', 'Sjonnie', 'Henk', 'Kees', 'Bertus', 'Rocco', 'Tito', 'Chino', 'Flaco', 'Ome Jan', 'Mocro', 'Turk', 'Belg', 'Brabo', 'Tukker', 'Scouser', 'Paddy', 'Le Corse', 'Le Gitan'];

/** Aliases that say something about the person but not a consistent real name. */
export function nicknameAlias(rng: Rng, lang: Lang, handle: string): string {
  const first = rng.pick(FIRST_NAMES[lang]);
  const r = rng.int(10);
  switch (r) {
    case 0: return first.full + ' ' + rng.pick(DESCRIPTORS[lang]);
    case 1: return rng.pick(first.short) + ' ' + rng.pick(DESCRIPTORS[lang]);
    case 2: return rng.pick(KIN[lang]);
    case 3: return rng.pick(SIZE_WORDS[lang]) + ' ' + rng.pick(STREET_NAMES);
    case 4: return rng.pick(first.short) + ' ' + 'ABCDEGHKLMRSTVY'[rng.int(15)];
    case 5: return rng.pick(['💰', '🔫', '🚗', '💊', '🍁', '❄️', '👑', '📦', '🏴', '⚓']) + ' ' + rng.pick(first.short);
    case 6: return handle.slice(0, Math.max(3, Math.min(handle.length, rng.range(3, 6)))).replace(/^\w/, (c) => c.toUpperCase());
    case 7: return rng.pick(KIN[lang]) + ' ' + rng.pick(first.short);
    case 8: return rng.pick(STREET_NAMES);
    default: return first.full + ' ' + rng.pick(DESCRIPTORS[lang]) + ' ' + rng.range(1, 3);
  }
}

const GROUP_NAMES: Readonly<Record<Lang, readonly string[]>> = {
  nl: ['zuid crew', 'de jongens', 'werk', 'familie', 'voetbal', 'business', 'haven', 'team {city}', 'de mannen', 'project x', 'ophalen', 'kantoor', 'de garage', 'administratie', 'planning', 'vrienden', 'snackbar', 'groep 2'],
  en: ['the lads', 'work', 'family', 'footy', 'business', 'docks', '{city} team', 'the firm', 'project', 'the boys', 'office', 'admin'],
  fr: ['la team', 'les frères', 'boulot', 'famille', 'foot', 'business', 'le port', 'team {city}', 'les gars', 'le plan', 'bureau'],
};

export function groupName(rng: Rng, lang: Lang, city: string): string {
  return rng.pick(GROUP_NAMES[lang]).replace('{city}', city);
}
