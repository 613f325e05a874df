// GraphML (graphml.graphdrawing.org), read by yEd, Cytoscape, NetworkX, igraph and Gephi: the
// undirected graph with the analysis declared as <key>s and written as <data> per node and edge.
import type { AccountMetrics, NetworkAnalysis } from './analyse.ts';
import { EDGE_COLUMNS, NODE_COLUMNS, type ExportedType } from './export-attributes.ts';
import type { CommunicationGraph } from './graph.ts';
import { escapeXmlAttribute, formatXmlNumber } from './xml.ts';

const GRAPHML_TYPES: Record<ExportedType, string> = { integer: 'int', long: 'long', double: 'double' };

// Key ids are prefixed by their domain: a node and an edge attribute may share a name (messages).
const nodeKey = (name: string): string => `node-${name}`;
const edgeKey = (name: string): string => `edge-${name}`;

export function toGraphML(graph: CommunicationGraph, analysis: NetworkAnalysis): string {
  const metricsOf = new Map(analysis.accounts.map((metrics) => [metrics.account, metrics]));
  const lines: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' +
      ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    '  <key id="node-label" for="node" attr.name="label" attr.type="string"/>',
    ...NODE_COLUMNS.map(
      (c) => `  <key id="${nodeKey(c.name)}" for="node" attr.name="${c.name}" attr.type="${GRAPHML_TYPES[c.type]}"/>`,
    ),
    ...EDGE_COLUMNS.map(
      (c) => `  <key id="${edgeKey(c.name)}" for="edge" attr.name="${c.name}" attr.type="${GRAPHML_TYPES[c.type]}"/>`,
    ),
    '  <graph id="communication" edgedefault="undirected">',
  ];
  graph.forEachNode((account) => lines.push(graphmlNode(account, metricsOf.get(account))));
  let edgeNumber = 0;
  graph.forEachEdge((_edge, tie, source, target) => {
    const data = EDGE_COLUMNS.map((c) => `<data key="${edgeKey(c.name)}">${formatXmlNumber(c.read(tie))}</data>`);
    lines.push(
      `    <edge id="e${edgeNumber++}" source="${escapeXmlAttribute(source)}" target="${escapeXmlAttribute(target)}">` +
        `${data.join('')}</edge>`,
    );
  });
  lines.push('  </graph>', '</graphml>', '');
  return lines.join('\n');
}

function graphmlNode(account: string, metrics: AccountMetrics | undefined): string {
  const id = escapeXmlAttribute(account);
  // The label repeats the id as text content, where a reader that shows labels will find it.
  const label = `<data key="node-label">${escapeXmlAttribute(account)}</data>`;
  const data = metrics === undefined ? [] : NODE_COLUMNS.map((c) => `<data key="${nodeKey(c.name)}">${formatXmlNumber(c.read(metrics))}</data>`);
  return `    <node id="${id}">${label}${data.join('')}</node>`;
}
