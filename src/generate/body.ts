// Builds one message body from grammar output: free text gets chat noise,
// entities and decoys are inserted verbatim and their UTF-16 spans recorded,
// so `body.slice(start, end) === raw` holds by construction.

import type { Rng } from './rng.ts';
import {
  amountMention, bicMention, containerMention, coordMentions, ibanMention, imeiMention, makeAmountValue, makeBtc, makeContainer,
  makeCoords, makeDecoy, makeImei, makeEmail, makeEth, makeIban, makeIpv4, makeIpv6, makePhone, makePlate, makeUrl, makeXmr, phoneMention, plateMention,
} from './entities.ts';
import type { CoordValue, DecoyName, EntityType, IbanValue, Lang, Mention, PhoneValue, PlateValue } from './entities.ts';
import type { Sink } from './grammar.ts';
import { applyNoise } from './noise.ts';
import type { NoiseStyle } from './noise.ts';
import type { OwnValues } from './population.ts';

/** Values a planning thread keeps so the same container/plate/IBAN recurs. */
export interface EntityCache {
  phone?: PhoneValue;
  iban?: IbanValue;
  plate?: PlateValue;
  coords?: CoordValue;
  container?: string;
  amount?: number;
  btc?: Mention;
  eth?: Mention;
  xmr?: Mention;
}

export interface Span {
  type: EntityType;
  value: string;
  raw: string;
  start: number;
  end: number;
}

export interface DecoySpan {
  type: EntityType;
  raw: string;
  why: string;
  start: number;
  end: number;
}

export class BodyBuilder implements Sink {
  rng: Rng;
  lang: Lang = 'nl';
  style: NoiseStyle = { typo: 0, capitalise: 0, stretch: 0, shout: 0 };
  own: OwnValues | null = null;
  deviceImei = '';
  cache: EntityCache | null = null;
  placeHint: string | undefined = undefined;
  /** When false the text is left exactly as the grammar produced it (notes). */
  noisy = true;

  private out = '';
  private pending = '';
  private lastIban: IbanValue | null = null;
  spans: Span[] = [];
  decoys: DecoySpan[] = [];

  constructor(rng: Rng) {
    this.rng = rng;
  }

  reset(lang: Lang, style: NoiseStyle, own: OwnValues | null, deviceImei: string, cache: EntityCache | null): void {
    this.lang = lang;
    this.style = style;
    this.own = own;
    this.deviceImei = deviceImei;
    this.cache = cache;
    this.out = '';
    this.pending = '';
    this.lastIban = null;
    this.spans = [];
    this.decoys = [];
    this.noisy = true;
  }

  text(s: string): void {
    this.pending += s;
  }

  get length(): number {
    return this.out.length + this.pending.length;
  }

  private flush(): void {
    if (!this.pending) return;
    this.out += this.noisy ? applyNoise(this.rng, this.pending, this.out.length === 0, this.style) : this.pending;
    this.pending = '';
  }

  private place(mentions: Mention[]): void {
    this.flush();
    const first = mentions[0];
    if (!first) return;
    const start = this.out.length;
    this.out += first.raw;
    for (const m of mentions) this.spans.push({ type: m.type, value: m.value, raw: m.raw, start, end: start + m.raw.length });
  }

  entity(type: EntityType, mode: string): void {
    this.place(this.resolve(type, mode === 'own' ? 'own' : mode === 'case' ? 'case' : 'fresh'));
  }

  decoy(name: DecoyName): void {
    this.flush();
    const d = makeDecoy(this.rng, name, this.lang);
    const start = this.out.length;
    this.out += d.raw;
    this.decoys.push({ type: d.type, raw: d.raw, why: d.why, start, end: start + d.raw.length });
  }

  finish(): string {
    this.flush();
    return this.out;
  }

  private resolve(type: EntityType, mode: 'own' | 'case' | 'fresh'): Mention[] {
    const rng = this.rng;
    const lang = this.lang;
    const own = mode === 'own' ? this.own : null;
    const cache = mode === 'case' ? this.cache : null;
    switch (type) {
      case 'phone': {
        let v: PhoneValue;
        if (own) v = own.phone ??= makePhone(rng, lang);
        else if (cache) v = cache.phone ??= makePhone(rng, lang);
        else v = makePhone(rng, lang);
        return [phoneMention(rng, v, lang)];
      }
      case 'iban': {
        let v: IbanValue;
        if (own) v = own.iban ??= makeIban(rng, lang);
        else if (cache) v = cache.iban ??= makeIban(rng, lang);
        else v = makeIban(rng, lang);
        this.lastIban = v;
        return [ibanMention(rng, v)];
      }
      case 'bic':
        return [bicMention(rng, this.lastIban ?? makeIban(rng, lang))];
      case 'plate': {
        const v = cache ? (cache.plate ??= makePlate(rng, lang)) : makePlate(rng, lang);
        return [plateMention(rng, v)];
      }
      case 'coordinates': {
        const v = cache ? (cache.coords ??= makeCoords(rng, this.placeHint)) : makeCoords(rng);
        return coordMentions(rng, v);
      }
      case 'container': {
        const v = cache ? (cache.container ??= makeContainer(rng)) : makeContainer(rng);
        return [containerMention(rng, v)];
      }
      case 'amount': {
        const v = cache ? (cache.amount ??= makeAmountValue(rng)) : makeAmountValue(rng);
        return [amountMention(rng, v, lang)];
      }
      case 'btc':
        if (own) return [(own.btc ??= makeBtc(rng))];
        if (cache) return [(cache.btc ??= makeBtc(rng))];
        return [makeBtc(rng)];
      case 'eth': {
        const m = own ? (own.eth ??= makeEth(rng)) : cache ? (cache.eth ??= makeEth(rng)) : makeEth(rng);
        return [m];
      }
      case 'xmr':
        if (own) return [(own.xmr ??= makeXmr(rng))];
        if (cache) return [(cache.xmr ??= makeXmr(rng))];
        return [makeXmr(rng)];
      case 'imei':
        return [imeiMention(rng, own && this.deviceImei ? this.deviceImei : makeImei(rng))];
      case 'email': return [makeEmail(rng)];
      case 'url': return [makeUrl(rng)];
      case 'ipv4': return [makeIpv4(rng)];
      case 'ipv6': return [makeIpv6(rng)];
    }
  }
}

/** A sink that only collects text, for expanding names and addresses into variables. */
export class TextSink implements Sink {
  value = '';
  text(s: string): void {
    this.value += s;
  }
  entity(): void {
    throw new Error('entities are not allowed in variable rules');
  }
  decoy(): void {
    throw new Error('decoys are not allowed in variable rules');
  }
}
