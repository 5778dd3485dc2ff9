import { Hono } from 'hono';
import type { LocalSystemConfig } from '../../config/types.js';
import type { LocalSystemActivity } from '../../store/port.js';
import { CodeCell, DataTable } from '../components.js';
import type { ConsoleContext } from '../context.js';
import type { ConsoleEnv } from '../env.js';
import type { Dictionary } from '../i18n/index.js';
import { clock, zoned } from '../present.js';
import { page, render } from '../respond.js';

/**
 * The local systems of this node (from its configuration): what each speaks and may send and
 * receive, how it receives, and its latest activity in the store with what waits for it.
 */
export function localSystemRoutes(ctx: ConsoleContext): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const { deps } = ctx;

  app.get(
    '/local-systems',
    page(ctx, 'messages:read', async (c) => {
      const t = c.get('t');
      const lang = c.get('lang');
      const systems = deps.config.localSystems;
      const activity = new Map(
        ((await deps.exchange?.store.localSystemActivity()) ?? []).map((a) => [a.localSystem, a]),
      );
      return render(c, {
        title: t.localSystems,
        section: 'local-systems',
        here: '/console/local-systems',
        body: (
          <>
            <p class="hint">{t.localSystemsHint}</p>
            {systems.length === 0 ? (
              <p>{t.noLocalSystems}</p>
            ) : (
              <DataTable
                id="local-systems"
                columns={[
                  t.localSystemId,
                  t.dialect,
                  t.deliveryMode,
                  t.maySend,
                  t.mayReceive,
                  t.contractMajors,
                  zoned(t.lastSubmission, lang),
                  zoned(t.lastDelivery, lang),
                  t.pending,
                ]}
              >
                {systems.map((s) => (
                  <SystemRow t={t} system={s} activity={activity.get(s.id)} />
                ))}
              </DataTable>
            )}
          </>
        ),
      });
    }),
  );

  return app;
}

function SystemRow(props: {
  t: Dictionary;
  system: LocalSystemConfig;
  activity: LocalSystemActivity | undefined;
}) {
  const { t, system: s, activity: a } = props;
  const majors = Object.entries(s.contractMajors);
  return (
    <tr id={`local-${s.id}`}>
      <td>
        <code>{s.id}</code>
        <div class="hint">{s.name}</div>
      </td>
      <CodeCell>{s.dialect}</CodeCell>
      <td>
        {s.delivery.mode === 'push' ? t.modePush : t.modePull}
        {s.delivery.mode === 'push' ? (
          <div>
            <code class="url">{s.delivery.url}</code>
          </div>
        ) : null}
      </td>
      <td>
        <ScopeCell t={t} scope={s.maySend} />
      </td>
      <td>
        <ScopeCell t={t} scope={s.receives} />
      </td>
      <td>
        {majors.length === 0
          ? t.newest
          : majors.map(([domain, major]) => (
              <div>
                {domain} {major}.x
              </div>
            ))}
      </td>
      <td>{a?.lastSubmissionAt === undefined ? t.never : clock(a.lastSubmissionAt)}</td>
      <td>{a?.lastDeliveryAt === undefined ? t.never : clock(a.lastDeliveryAt)}</td>
      <td class={(a?.pending ?? 0) > 0 ? 'num warn' : 'num'}>{a?.pending ?? 0}</td>
    </tr>
  );
}

/** Domains, then message types; `*` said in words. */
function ScopeCell(props: { t: Dictionary; scope: LocalSystemConfig['maySend'] }) {
  const { t, scope } = props;
  const list = (values: readonly string[], any: string) =>
    values.includes('*') ? any : values.length === 0 ? t.none : values.join(', ');
  return (
    <>
      <div>{list(scope.domains, t.anyDomain)}</div>
      <div class="hint">{list(scope.types, t.anyType)}</div>
    </>
  );
}
