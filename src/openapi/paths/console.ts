import type { PathContributor, PathItem } from '../types.js';

const html = { 'text/html': { schema: { type: 'string' } } };

/** A console page or form action: HTML for a browser, signed in with the console's session cookie. */
function op(operationId: string, summary: string, params: readonly string[] = [], form = false): PathItem {
  return {
    tags: ['console'],
    operationId,
    summary,
    ...(params.length === 0
      ? {}
      : {
          parameters: params.map((name) => ({
            name,
            in: 'path',
            required: true,
            schema: { type: 'string' },
          })),
        }),
    ...(form
      ? {
          description:
            "A form post from a console page: needs the session cookie, the session's `_csrf` field and a same-origin `Origin`; refused with 403 otherwise, or when the role does not allow it. Recorded in the audit log.",
          requestBody: {
            content: {
              'application/x-www-form-urlencoded': { schema: { type: 'object' } },
              'multipart/form-data': { schema: { type: 'object' } },
            },
          },
        }
      : {}),
    responses: {
      '200': { description: 'An HTML page', content: html },
      ...(form ? { '403': { description: 'Refused (anti-forgery check or role)', content: html } } : {}),
      '303': { description: 'Redirect (to the sign-in page when not signed in)' },
    },
  };
}

/** The admin console's pages (`/console`), mounted with the admin API. See docs/console.md. */
export const consolePaths: PathContributor = (context) =>
  context.admin
    ? {
        tag: {
          name: 'console',
          description: 'The admin console: server-rendered HTML pages for a browser (see docs/console.md).',
        },
        paths: {
          '/console': { get: op('consoleHome', 'Redirects to the overview or the sign-in page') },
          '/console/style.css': {
            get: {
              tags: ['console'],
              operationId: 'consoleStyle',
              summary: 'The console stylesheet',
              responses: {
                '200': { description: 'CSS', content: { 'text/css': { schema: { type: 'string' } } } },
              },
            },
          },
          '/console/sign-in': {
            get: op('consoleSignInPage', 'The sign-in page'),
            post: op(
              'consoleSignIn',
              'Sign in with an admin credential token; sets the session cookie',
              [],
              true,
            ),
          },
          '/console/sign-out': { post: op('consoleSignOut', 'Sign out: ends the session', [], true) },
          '/console/overview': {
            get: op('consoleOverview', 'Partner health, traffic, dead letters, threads, keys'),
          },
          '/console/threads': {
            get: op('consoleThreads', 'Open threads with every counterpart’s workflow state, overdue first'),
          },
          '/console/threads/{id}': {
            get: op(
              'consoleThread',
              'One thread: its workflow, each track’s state and the timeline of states',
              ['id'],
            ),
          },
          '/console/local-systems': {
            get: op(
              'consoleLocalSystems',
              'The local systems: dialect, push or pull, what they send and receive, last activity, pending deliveries',
            ),
          },
          '/console/messages': { get: op('consoleMessages', 'Message search') },
          '/console/messages/{id}': {
            get: op('consoleMessage', 'One message: timeline, deliveries, receipt, bodies', ['id']),
          },
          '/console/messages/{id}/evidence': {
            get: {
              tags: ['console'],
              operationId: 'consoleMessageEvidence',
              summary: 'Download the evidence bundle of a message (every role that may read messages)',
              description:
                'The same bundle as `yrdx evidence export` (see docs/evidence.md), as an attachment named `evidence-{id}.json`. Needs the session cookie; a cross-site request is refused. Recorded in the audit log.',
              parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
              responses: {
                '200': {
                  description: 'The evidence bundle (`Content-Disposition: attachment`)',
                  content: { 'application/json': { schema: { type: 'object' } } },
                },
                '303': { description: 'Redirect to the sign-in page when not signed in' },
                '403': { description: 'Refused (role, or a cross-site request)', content: html },
                '404': {
                  description: 'The message, its audit entries or a key is no longer known',
                  content: html,
                },
              },
            },
          },
          '/console/messages/{id}/attachments/{index}': {
            get: {
              tags: ['console'],
              operationId: 'consoleDownloadAttachment',
              summary: 'Download a case file of a message (admin, auditor)',
              description:
                'The file as the admin API serves it (`Content-Disposition: attachment` with the name as written, `nosniff`, one byte range on request). Needs the session cookie; a cross-site request is refused. Every download, and every refusal, is recorded in the audit log.',
              parameters: [
                { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
                { name: 'index', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } },
              ],
              responses: {
                '200': {
                  description: 'The file',
                  content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
                },
                '206': {
                  description: 'The range asked for (Content-Range)',
                  content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
                },
                '303': { description: 'Redirect to the sign-in page when not signed in' },
                '403': { description: 'Refused (role, or a cross-site request)', content: html },
                '404': {
                  description: 'No such message (`message_not_found`) or file (`attachment_not_found`)',
                  content: html,
                },
                '409': {
                  description: 'The file has not arrived from the sender (`attachment_not_ready`)',
                  content: html,
                },
              },
            },
          },
          '/console/messages/{id}/attachments/requeue': {
            post: op(
              'consoleRequeueTransfer',
              'Fetch the files of a received message again after the transfer died or refused a file (admin, operator)',
              ['id'],
              true,
            ),
          },
          '/console/dead-letters/{kind}/{id}/requeue': {
            post: op('consoleRequeue', 'Requeue a dead delivery (admin, operator)', ['kind', 'id'], true),
          },
          '/console/contracts': {
            get: op('consoleContracts', 'Contract versions and the upload form (admin, operator)'),
            post: op(
              'consoleContractUpload',
              'Upload a version; shows the validation and compatibility report (admin)',
              [],
              true,
            ),
          },
          '/console/contracts/{domain}/{version}/activate': {
            post: op('consoleContractActivate', 'Activate a version (admin)', ['domain', 'version'], true),
          },
          '/console/contracts/{domain}/{version}/deprecate': {
            post: op(
              'consoleContractDeprecate',
              "Deprecate an active version, not the domain's last (admin)",
              ['domain', 'version'],
              true,
            ),
          },
          '/console/partners': {
            get: op('consolePartners', "Partners and their pinned keys, this node's keys (admin, operator)"),
            post: op(
              'consolePartnerAdd',
              'Add a partner, checked like POST /admin/v1/partners; shows each fault next to the form (admin)',
              [],
              true,
            ),
          },
          '/console/partners/{id}/published': {
            get: op(
              'consolePartnerPublished',
              'What a partner publishes: its node document and JWKS, fetched now, each key marked pinned here or not (admin, operator)',
              ['id'],
            ),
          },
          '/console/partners/{id}/suspend': {
            post: op('consolePartnerSuspend', 'Suspend a partner (admin, operator)', ['id'], true),
          },
          '/console/partners/{id}/resume': {
            post: op('consolePartnerResume', 'Resume a suspended partner (admin)', ['id'], true),
          },
          '/console/keys/rotate': {
            post: op(
              'consoleKeysRotate',
              "Rotate this node's keys; shows the reason when refused (admin)",
              [],
              true,
            ),
          },
          '/console/audit': { get: op('consoleAudit', 'The audit page (every role)') },
          '/console/audit/verify': {
            post: op(
              'consoleAuditVerify',
              'Verify the whole audit log; shows the entries checked and the head hash, or the first broken entry',
              [],
              true,
            ),
          },
          '/console/playground': {
            get: op('consolePlayground', 'The translation playground (admin, operator)'),
            post: op(
              'consoleTranslate',
              'Translate a document; shows the result or each fault with its pointer',
              [],
              true,
            ),
          },
        },
      }
    : undefined;
