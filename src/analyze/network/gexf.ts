// GEXF 1.3 (gexf.net), the format Gephi reads natively: the undirected graph with the analysis
// as typed node attributes (community, pagerank, betweenness, messages...) and messages as the
// edge weight, so Gephi can size, colour and lay out the network without further work.
import type { AccountMetrics, NetworkAnalysis } from './analyse.ts';
import { EDGE_COLUMNS, NODE_COLUMNS, type ExportedType } from './export-attributes.ts';
import type { CommunicationGraph } from './graph.ts';
import { escapeXmlAttribute, escapeXmlText, formatXmlNumber } from './xml.ts';

export type GexfOptions = { description?: string; lastModified?: Date };

const GEXF_TYPES: Record<ExportedType, string> = { integer: 'integer', long: 'long', double: 'double' };

export function toGexf(graph: CommunicationGraph, analysis: NetworkAnalysis, options: GexfOptions = {}): string {
  const metricsOf = new Map(analysis.accounts.map((metrics) => [metrics.account, metrics]));
  const lines: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' +
      ' xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">',
    gexfMeta(analysis, options),
    '  <graph mode="static" defaultedgetype="undirected">',
    '    <attributes class="node" mode="static">',
    ...NODE_COLUMNS.map((c, i) => `      <attribute id="${i}" title="${c.name}" type="${GEXF_TYPES[c.type]}"/>`),
    '    </attributes>',
    '    <attributes class="edge" mode="static">',
    ...EDGE_COLUMNS.map((c, i) => `      <attribute id="${i}" title="${c.name}" type="${GEXF_TYPES[c.type]}"/>`),
    '    </attributes>',
    '    <nodes>',
  ];
  graph.forEachNode((account) => lines.push(gexfNode(account, metricsOf.get(account))));
  lines.push('    </nodes>', '    <edges>');
  let edgeNumber = 0;
  graph.forEachEdge((_edge, tie, source, target) => {
    const values = EDGE_COLUMNS.map((c, i) => `<attvalue for="${i}" value="${formatXmlNumber(c.read(tie))}"/>`);
    lines.push(
      `      <edge id="${edgeNumber++}" source="${escapeXmlAttribute(source)}" target="${escapeXmlAttribute(target)}"` +
        ` weight="${formatXmlNumber(tie.messages)}"><attvalues>${values.join('')}</attvalues></edge>`,
    );
  });
  lines.push('    </edges>', '  </graph>', '</gexf>', '');
  return lines.join('\n');
}

function gexfMeta(analysis: NetworkAnalysis, options: GexfOptions): string {
  const { producedBy } = analysis;
  const description =
    options.description ??
    `Lode communication network (analysis v${producedBy.version}, seed ${producedBy.seed}, betweenness ${producedBy.betweenness.kind})`;
  // A date only when asked: the same analysis should export to the same bytes.
  const date = options.lastModified ? ` lastmodifieddate="${options.lastModified.toISOString().slice(0, 10)}"` : '';
  return `  <meta${date}><creator>Lode</creator><description>${escapeXmlText(description)}</description></meta>`;
}

function gexfNode(account: string, metrics: AccountMetrics | undefined): string {
  const id = escapeXmlAttribute(account);
  if (metrics === undefined) return `      <node id="${id}" label="${id}"/>`;
  const values = NODE_COLUMNS.map((c, i) => `<attvalue for="${i}" value="${formatXmlNumber(c.read(metrics))}"/>`);
  return `      <node id="${id}" label="${id}"><attvalues>${values.join('')}</attvalues></node>`;
}
