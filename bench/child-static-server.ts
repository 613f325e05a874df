// The floor the range API is compared with: a plain static file server (node:http, a stat and a
// read stream per request, as serve-static does) answering `/range/PREFIX[?mode=ntlm]` from files
// the bench wrote with Lode's own formatRange, one per prefix and mode. No registry static server
// is installed in this project, and this is the least work a file server can do per request.
// `node bench/child-static-server.ts DIR`: prints "listening on URL" on stderr like `lode serve`.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? '.');
const RANGE = /^\/range\/([0-9A-Fa-f]{5})(?:\?mode=(sha1|ntlm))?$/;

const server = createServer((request, response) => {
  const match = RANGE.exec(request.url ?? '');
  if (!match) {
    response.writeHead(400, { 'content-type': 'text/plain; charset=UTF-8' }).end('The hash prefix was not in a valid format');
    return;
  }
  const file = join(root, match[2] ?? 'sha1', match[1]!.toUpperCase());
  stat(file).then((info) => {
    // the headers Lode's range answer carries that matter to a client or a cache
    response.writeHead(200, {
      'content-type': 'text/plain; charset=UTF-8', 'content-length': info.size,
      'cache-control': 'public, max-age=3600', 'access-control-allow-origin': '*',
    });
    createReadStream(file).pipe(response);
  }, () => {
    response.writeHead(404, { 'content-type': 'text/plain; charset=UTF-8' }).end('no such prefix file');
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stderr.write(`static server: listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});
