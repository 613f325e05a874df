// A small, fast language guess from function words. Chat messages are short and slangy, so we
// only answer when the evidence is clear; otherwise the language stays unknown.

const STOPWORDS: Record<string, readonly string[]> = {
  nl: ['de', 'het', 'een', 'en', 'ik', 'je', 'jij', 'niet', 'dat', 'die', 'is', 'van', 'op', 'te', 'met', 'wat', 'maar', 'voor', 'naar', 'hij', 'zijn', 'heb', 'ben', 'kan', 'moet', 'wel', 'nog', 'ook', 'als', 'er', 'ze', 'we', 'hem', 'morgen', 'vandaag', 'gaat', 'gaan', 'komt', 'waar', 'hoe', 'goed', 'mijn', 'jou', 'jouw', 'bij', 'uit', 'om', 'zo', 'dan', 'nu', 'effe', 'ff', 'mn', 'bro', 'wollah', 'niks', 'geen', 'toch', 'even', 'laat', 'weet', 'zeg', 'gewoon', 'broer'],
  en: ['the', 'and', 'you', 'is', 'it', 'to', 'of', 'a', 'in', 'that', 'for', 'on', 'with', 'this', 'be', 'are', 'not', 'have', 'what', 'will', 'can', 'get', 'got', 'do', 'don', 'just', 'me', 'my', 'your', 'we', 'he', 'him', 'they', 'tomorrow', 'today', 'mate', 'bruv', 'yeah', 'need', 'when', 'where', 'how', 'now', 'there', 'all', 'know', 'going', 'gonna', 'was', 'at', 'no', 'if'],
  fr: ['le', 'la', 'les', 'un', 'une', 'et', 'je', 'tu', 'il', 'est', 'pas', 'de', 'des', 'du', 'que', 'qui', 'pour', 'sur', 'avec', 'ce', 'ça', 'ca', 'mais', 'on', 'nous', 'vous', 'mon', 'ton', 'demain', 'aujourd', 'hui', 'frere', 'frérot', 'wesh', 'c', 'j', 'y', 'a', 'en', 'au', 'faut', 'quoi', 'bien', 'moi', 'toi', 'lui', 'fait', 'vais', 'va'],
  de: ['der', 'die', 'das', 'und', 'ich', 'du', 'nicht', 'ist', 'ein', 'eine', 'zu', 'mit', 'auf', 'für', 'fur', 'was', 'wir', 'morgen', 'heute', 'auch', 'noch', 'aber', 'wie', 'bin', 'hast', 'kann', 'muss', 'mein', 'dein', 'den', 'dem', 'sie', 'er'],
  es: ['el', 'la', 'los', 'las', 'un', 'una', 'y', 'yo', 'tu', 'que', 'no', 'es', 'de', 'en', 'por', 'para', 'con', 'pero', 'mañana', 'manana', 'hoy', 'hermano', 'bien', 'donde', 'como', 'mi', 'su', 'lo', 'se', 'muy', 'ya', 'hay', 'esta', 'está'],
};

export const DETECTED_LANGUAGES = Object.keys(STOPWORDS);

/** Folded function word -> the languages it belongs to, as indexes into DETECTED_LANGUAGES. */
const LANGUAGES_OF = new Map<string, number[]>();
DETECTED_LANGUAGES.forEach((lang, index) => {
  for (const word of STOPWORDS[lang]!) {
    const folded = word.normalize('NFKD').replace(/\p{M}+/gu, '');
    const entry = LANGUAGES_OF.get(folded);
    if (!entry) LANGUAGES_OF.set(folded, [index]);
    else if (!entry.includes(index)) entry.push(index);
  }
});

const scores = new Float64Array(DETECTED_LANGUAGES.length);

/** Guesses the language of already-tokenised text; undefined when the evidence is thin. */
export function detectLanguage(tokens: readonly string[]): string | undefined {
  scores.fill(0);
  for (const token of tokens) {
    const languages = LANGUAGES_OF.get(token);
    if (languages === undefined) continue;
    // words shared by languages count for each, but less
    const share = 1 / languages.length;
    for (const index of languages) scores[index]! += share;
  }
  let best = -1;
  let bestScore = 0;
  let second = 0;
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i]!;
    if (score > bestScore) {
      second = bestScore;
      bestScore = score;
      best = i;
    } else if (score > second) second = score;
  }
  if (best === -1 || bestScore < 1 || bestScore - second < 0.5) return undefined;
  return DETECTED_LANGUAGES[best];
}
