import { Hono } from 'hono';
import type { AppEnv } from '../http/env.js';
import { renderDocsPage } from './docs-page.js';
import { buildOpenApi, type OpenApiDocument } from './document.js';
import type { OpenApiContext } from './types.js';

/** `/openapi.json` and `/docs`; the document is built once, on first request. */
export function apiDocsRoutes(context: OpenApiContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  let doc: OpenApiDocument | undefined;
  let page: string | undefined;
  const document = () => {
    doc ??= buildOpenApi(context);
    return doc;
  };
  app.get('/openapi.json', (c) => c.json(document()));
  app.get('/docs', (c) => {
    page ??= renderDocsPage(document());
    return c.html(page, 200, {
      // Nothing from elsewhere: no scripts, no fonts, no images.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    });
  });
  return app;
}
