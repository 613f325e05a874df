// Puts the app on a socket with @hono/node-server: shared by `lode serve` and the integration
// tests, so the tests exercise the same server users run.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { createApp, type AppOptions } from './app.ts';

export type RunningServer = { url: string; port: number; close(): Promise<void> };

export async function startServer(options: AppOptions & { host: string; port: number }): Promise<RunningServer> {
  const app = createApp(options);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, (info: AddressInfo) => {
      server.off('error', reject);
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: () => new Promise<void>((done, fail) => {
          server.close((error) => (error ? fail(error) : done()));
          // idle keep-alive connections would hold close() open until they time out
          (server as Server).closeAllConnections();
        }),
      });
    }) as Server;
    server.once('error', reject);
  });
}
