import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { analyseNetwork } from '../../../src/analyze/network/analyse.ts';
import { toGexf } from '../../../src/analyze/network/gexf.ts';
import { buildGraph } from '../../../src/analyze/network/graph.ts';
import { toGraphML } from '../../../src/analyze/network/graphml.ts';
import { escapeXmlAttribute, escapeXmlText } from '../../../src/analyze/network/xml.ts';
import { twoCrewsAndABroker } from './small-graphs.ts';

type Element = { name: string; uri: string; attributes: Record<string, string>; text: string; children: Element[] };

/** Parses with a conforming XML parser (namespaces on) into a small tree; throws on any error. */
function parseXml(xml: string): Element {
  const parser = new SaxesParser({ xmlns: true });
  const root: Element = { name: '#document', uri: '', attributes: {}, text: '', children: [] };
  const open: Element[] = [root];
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) attributes[attribute.name] = attribute.value;
    const element: Element = { name: tag.local, uri: tag.uri, attributes, text: '', children: [] };
    open.at(-1)?.children.push(element);
    open.push(element);
  });
  parser.on('text', (text) => {
    const current = open.at(-1);
    if (current) current.text += text;
  });
  parser.on('closetag', () => void open.pop());
  parser.write(xml).close();
  const [document] = root.children;
  assert.ok(document);
  return document;
}

function all(element: Element, name: string): Element[] {
  return element.children.flatMap((child) => (child.name === name ? [child, ...all(child, name)] : all(child, name)));
}

// Keys from seized data can hold anything: markup, quotes, line breaks, control characters, emoji.
const NASTY = 'telegram:<b>&"it\'s"\n\u0007 🦊';
const edges = [...twoCrewsAndABroker(), { from: NASTY, to: 'broker', messages: 2 }];
const graph = buildGraph(edges);
const analysis = analyseNetwork(graph);

describe('toGexf', () => {
  const document = parseXml(toGexf(graph, analysis));

  it('writes GEXF 1.3 with every account and tie', () => {
    assert.equal(document.name, 'gexf');
    assert.equal(document.uri, 'http://gexf.net/1.3');
    assert.equal(document.attributes['version'], '1.3');
    assert.equal(all(document, 'node').length, graph.order);
    assert.equal(all(document, 'edge').length, graph.size);
    assert.equal(all(document, 'graph')[0]?.attributes['defaultedgetype'], 'undirected');
  });

  it('carries the analysis as typed node attributes', () => {
    const declared = new Map(
      all(document, 'attributes')
        .filter((a) => a.attributes['class'] === 'node')
        .flatMap((a) => a.children)
        .map((a) => [a.attributes['id'], a.attributes['title']]),
    );
    assert.ok(['pagerank', 'betweenness', 'community', 'messages'].every((title) => [...declared.values()].includes(title)));
    const broker = all(document, 'node').find((n) => n.attributes['id'] === 'broker');
    assert.ok(broker);
    const values = new Map(all(broker, 'attvalue').map((v) => [declared.get(v.attributes['for']), v.attributes['value']]));
    const metrics = analysis.accounts.find((m) => m.account === 'broker');
    assert.equal(Number(values.get('pagerank')), metrics?.pagerank);
    assert.equal(Number(values.get('betweenness')), metrics?.betweenness);
    assert.equal(Number(values.get('community')), metrics?.community);
    assert.equal(Number(values.get('messages')), metrics?.messages);
  });

  it('weighs edges by messages', () => {
    const tie = all(document, 'edge').find((e) => e.attributes['source'] === 'e1' && e.attributes['target'] === 'e2');
    assert.equal(tie?.attributes['weight'], '20');
  });

  it('keeps an awkward account key intact except for characters XML cannot hold', () => {
    const ids = all(document, 'node').map((n) => n.attributes['id']);
    assert.ok(ids.includes('telegram:<b>&"it\'s"\n\uFFFD 🦊'), JSON.stringify(ids));
  });
});

describe('toGraphML', () => {
  const document = parseXml(toGraphML(graph, analysis));

  it('writes GraphML with keys, every account and tie', () => {
    assert.equal(document.name, 'graphml');
    assert.equal(document.uri, 'http://graphml.graphdrawing.org/xmlns');
    assert.equal(all(document, 'node').length, graph.order);
    assert.equal(all(document, 'edge').length, graph.size);
    assert.equal(all(document, 'graph')[0]?.attributes['edgedefault'], 'undirected');
    const keyNames = all(document, 'key').map((k) => `${k.attributes['for']}:${k.attributes['attr.name']}`);
    for (const name of ['node:pagerank', 'node:betweenness', 'node:community', 'node:messages', 'edge:messages']) {
      assert.ok(keyNames.includes(name), name);
    }
  });

  it('gives every node its analysis through declared keys', () => {
    const keys = new Map(all(document, 'key').map((k) => [k.attributes['id'], k.attributes['attr.name']]));
    for (const node of all(document, 'node')) {
      const data = new Map(all(node, 'data').map((d) => [keys.get(d.attributes['key']), d.text]));
      const metrics = analysis.accounts.find((m) => m.account === node.attributes['id']?.replace('\uFFFD', '\u0007'));
      assert.ok(metrics, node.attributes['id']);
      assert.equal(Number(data.get('pagerank')), metrics.pagerank);
      assert.equal(Number(data.get('community')), metrics.community);
      assert.equal(data.get('label'), node.attributes['id']);
    }
  });

  it('gives every edge its messages', () => {
    const keys = new Map(all(document, 'key').map((k) => [k.attributes['id'], k.attributes['attr.name']]));
    const total = all(document, 'edge')
      .flatMap((e) => all(e, 'data').filter((d) => keys.get(d.attributes['key']) === 'messages'))
      .reduce((sum, d) => sum + Number(d.text), 0);
    assert.equal(total, analysis.totals.messages);
  });
});

describe('XML escaping', () => {
  it('escapes markup in text and attributes', () => {
    assert.equal(escapeXmlText('a<b>&c'), 'a&lt;b&gt;&amp;c');
    assert.equal(escapeXmlAttribute(`"'\t\n`), '&quot;&apos;&#9;&#10;');
  });

  it('replaces characters XML 1.0 forbids, keeping surrogate pairs', () => {
    assert.equal(escapeXmlText('\u0000x\uD800y\uFFFF🦊'), '\uFFFDx\uFFFDy\uFFFD🦊');
  });
});
