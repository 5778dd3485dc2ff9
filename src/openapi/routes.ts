import { Hono } from 'hono';
import type { AppEnv } from '../http/env.js';
import { preferredLanguage } from '../http/problem.js';
import { LANGUAGE_TAGS, type Language, languageOfTag } from '../vocabulary/language.js';
import { renderDocsPage } from './docs-page.js';
import { buildOpenApi, type OpenApiDocument } from './document.js';
import type { OpenApiContext } from './types.js';

/**
 * `/openapi.json` and `/docs`; the document is built once, on first request. `/docs` is 简体中文
 * unless `?lang=en` asks for English (`?lang=zh-CN` for Chinese, the tags of the console's switch);
 * without `lang`, the request's `Accept-Language` decides, as for problem details.
 */
export function apiDocsRoutes(context: OpenApiContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  let doc: OpenApiDocument | undefined;
  const pages = new Map<Language, string>();
  const document = () => {
    doc ??= buildOpenApi(context);
    return doc;
  };
  app.get('/openapi.json', (c) => c.json(document()));
  app.get('/docs', (c) => {
    const lang = languageOfTag(c.req.query('lang')) ?? preferredLanguage(c.req.header('accept-language'));
    const page = pages.get(lang) ?? renderDocsPage(document(), lang);
    pages.set(lang, page);
    return c.html(page, 200, {
      // Nothing from elsewhere: no scripts, no fonts, no images.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      'content-language': LANGUAGE_TAGS[lang],
      vary: 'Accept-Language',
    });
  });
  return app;
}
