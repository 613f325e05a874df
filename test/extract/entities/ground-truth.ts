// Scores the extractors against the generator's planted truth: a prediction is right when a
// planted entity has the same type, span and normalised value. Shared by the accuracy test and
// the speed measurement.

import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { generateCorpus } from '../../../src/generate/corpus.ts';
import { detectLanguage } from '../../../src/extract/language.ts';
import { tokenize } from '../../../src/extract/tokens.ts';
import { contextForLanguage } from '../../../src/extract/entities/extract.ts';
import { ENTITY_TYPES } from '../../../src/extract/entities/types.ts';
import type { EntityMention, EntityType, ExtractionContext } from '../../../src/extract/entities/types.ts';

export type TruthEntity = { type: EntityType; value: string; raw: string; start: number; end: number };
export type TruthDecoy = { type: EntityType; raw: string; why: string; start: number; end: number };
export type TextWithTruth = { id: string; body: string; entities: TruthEntity[]; decoys: TruthDecoy[] };

/** Message and note bodies of a generated corpus with the truth planted in each. */
export function corpusWithTruth(messages: number, seed: number): TextWithTruth[] {
  const texts = new Map<string, TextWithTruth>();
  for (const item of generateCorpus({ messages, seed })) {
    const record = item.record;
    if (record && (record.kind === 'message' || record.kind === 'note')) {
      const id = String(record.id);
      texts.set(id, { id, body: String(record.body), entities: [], decoys: [] });
    }
    const truth = item.truth;
    if (truth?.kind === 'entity' || truth?.kind === 'decoy_entity') {
      // truth lines for a text follow its record
      const text = texts.get(String(truth.message));
      if (!text) throw new Error('truth before its message: ' + String(truth.message));
      if (truth.kind === 'entity') text.entities.push(truth as unknown as TruthEntity);
      else text.decoys.push(truth as unknown as TruthDecoy);
    }
  }
  return [...texts.values()];
}

export function contextOf(body: string): ExtractionContext {
  return contextForLanguage(detectLanguage(tokenize(body)), 'NL');
}

/**
 * Planted values that are not what their type claims: the generator draws phone numbers from
 * ranges no numbering plan has assigned (French 07 0x, German 0151 with 7 digits...). They are
 * counted apart, not held against the extractor, which validates against the real plans.
 */
export function isGeneratorDefect(entity: TruthEntity): boolean {
  return entity.type === 'phone' && !isValidPhoneNumber(entity.value);
}

export type TypeScore = {
  truth: number; predicted: number; correct: number; wrongValue: number; missed: number; falsePositive: number;
  decoyHits: number; defects: number; precision: number; recall: number;
};

export type Miss = { id: string; body: string; type: EntityType; raw: string; expected?: string; got?: string };

export function scoreExtraction(
  texts: readonly TextWithTruth[], extract: (body: string, context: ExtractionContext) => EntityMention[],
): { scores: Record<EntityType, TypeScore>; misses: Miss[] } {
  const scores = Object.fromEntries(ENTITY_TYPES.map((t) => [t, {
    truth: 0, predicted: 0, correct: 0, wrongValue: 0, missed: 0, falsePositive: 0, decoyHits: 0, defects: 0, precision: 1, recall: 1,
  }])) as Record<EntityType, TypeScore>;
  const misses: Miss[] = [];
  for (const text of texts) {
    const predicted = extract(text.body, contextOf(text.body));
    const defects = text.entities.filter(isGeneratorDefect);
    const matched = new Set<TruthEntity>();
    for (const p of predicted) {
      const score = scores[p.type];
      if (defects.some((d) => d.type === p.type && d.start < p.end && p.start < d.end)) continue;
      score.predicted++;
      const same = text.entities.find((t) => t.type === p.type && t.start === p.start && t.end === p.end);
      if (same && same.value === p.value) {
        score.correct++;
        matched.add(same);
        continue;
      }
      if (same) {
        score.wrongValue++;
        matched.add(same);
      } else score.falsePositive++;
      if (text.decoys.some((d) => d.type === p.type && d.start < p.end && p.start < d.end)) score.decoyHits++;
      misses.push({ id: text.id, body: text.body, type: p.type, raw: text.body.slice(p.start, p.end), expected: same?.value, got: p.value });
    }
    for (const t of text.entities) {
      if (defects.includes(t)) {
        scores[t.type].defects++;
        continue;
      }
      scores[t.type].truth++;
      if (matched.has(t)) continue;
      scores[t.type].missed++;
      misses.push({ id: text.id, body: text.body, type: t.type, raw: t.raw, expected: t.value });
    }
  }
  for (const score of Object.values(scores)) {
    score.precision = score.predicted === 0 ? 1 : score.correct / score.predicted;
    score.recall = score.truth === 0 ? 1 : score.correct / score.truth;
  }
  return { scores, misses };
}

export function scoreTable(scores: Record<EntityType, TypeScore>): string {
  const rows = ['| type | planted | found | precision | recall | wrong value | decoys taken | generator defects |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const type of ENTITY_TYPES) {
    const s = scores[type];
    rows.push(`| ${type} | ${s.truth} | ${s.predicted} | ${s.precision.toFixed(4)} | ${s.recall.toFixed(4)} | ${s.wrongValue} | ${s.decoyHits} | ${s.defects} |`);
  }
  return rows.join('\n');
}
