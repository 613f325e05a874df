// Language-neutral rules: emoji, names, handles in text. Referenced from every
// language grammar; a language may override any of them.

import type { Rules } from './grammar.ts';

export const SHARED_RULES: Rules = {
  emoji: ['😂', '😂😂', '🤣', '👍', '👌', '🔥', '💯', '🙏', '😎', '🤷‍♂️', '😴', '💪', '🥶', '😡', '🤝', '✅', '⚽', '🍕', '🚗', '💸', '😅', '😬', '🙄', '👀', '🤫', '❤️', '🇲🇦', '🇳🇱', '🇫🇷', '🍀', '💶', '🤲', '😤', '😏'],
  lol: ['😂', 'haha', 'hahaha', 'hhh', 'lol', '😂😂😂', 'hahah', 'lmao', 'xd'],
  name: ['Mo', 'Rico', 'Sem', 'Naoufal', 'Ridouan', 'Kev', 'Jay', 'Bilal', 'Youssef', 'Anouar', 'Dennis', 'Mike', 'Rachid', 'Said', 'Ilias', 'Omar', 'Karim', 'Yassine', 'Ricardo', 'Dino', 'Sjaak', 'Gio', 'Ramon', 'Ferry', 'Tarik', 'Hamza', 'Soufiane', 'Nordin', 'Ayoub', 'Mehmet', 'Ozan', 'Romano', 'Marco', 'Stefan', 'Danny'],
  day: ['maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag', 'zaterdag', 'zondag'],
  clock: ['7', '8', '9', '10', '11', '12', '13:00', '14:30', '15', '16', '17:30', '18', '19', '20:00', '21', '22', '23:00'],
  hood: ['zuid', 'west', 'noord', 'oost', 'de pijp', 'bos en lommer', 'slotervaart', 'nieuw-west', 'zuidoost', 'charlois', 'feijenoord', 'delfshaven', 'overvecht', 'kanaleneiland', 'schilderswijk', 'transvaal', 'woensel', 'tongelre'],
  club: ['ajax', 'feyenoord', 'psv', 'az', 'utrecht', 'twente', 'vitesse', 'barca', 'real', 'city', 'liverpool', 'united', 'psg', 'om', 'juve', 'bayern', 'chelsea', 'raja', 'wydad'],
  player: ['ziyech', 'mazraoui', 'de jong', 'messi', 'ronaldo', 'mbappé', 'neymar', 'salah', 'van dijk', 'depay', 'tadic', 'onana', 'berghuis', 'haaland', 'benzema', 'lewandowski'],
  carbrand: ['audi rs6', 'rs3', 'golf r', 'g klasse', 'urus', 'm5', 'c63', 'a45', 'range rover', 'macan', 'polo', 'x6', 'panamera', 'tmax', 'e-klasse', 'caddy', 'sprinter', 'transporter'],
  lastname: ['Bakkal', 'El Amrani', 'Bouchikhi', 'de Vries', 'Jansen', 'Ait Taleb', 'Yilmaz', 'Kaya', 'Pinas', 'Martina', 'van Dijk', 'Boukhari', 'Ouali', 'Haddouchi', 'Smit', 'Benali', 'Tahiri', 'Murphy', 'Kinahan', 'Byrne', 'Dupont', 'Benhamou', 'Belkacem', 'Rossi', 'Garcia'],
  fullname: ['{name} {lastname}'],
  chem: ['bmk', 'pmk', 'apaan', 'mierenzuur', 'zwavelzuur', 'aceton', 'natronloog', 'methylamine', 'formamide', 'pmk-glycidaat', 'bmk-glycidaat'],
};
