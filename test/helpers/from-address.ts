/**
 * HTTP requests from a chosen local source address, so one test can be several clients: on Linux
 * the whole of 127.0.0.0/8 is local (127.0.0.2, 127.0.0.3…). fetch cannot choose its source address.
 */
import { request as httpRequest } from 'node:http';

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: any;
}

/** An HTTP request sent from a chosen local address (fetch cannot choose one). */
export function from(localAddress: string, url: string, options: { method?: string; token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const payload = options.body === undefined ? options.rawBody : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'POST', localAddress, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}
