/**
 * 终端状态: every enrolled kiosk with its connection, last contact, what the hall has taken from it,
 * its backlog, the devices that are not fine and its data directory's free space (a warning when
 * little is left), as its last heartbeat reported them.
 */
import type { Localized } from '../../shared/catalog.js';
import { ok, type Result } from '../../shared/result.js';
import type { Problem } from './api.js';
import type { Desk } from './desk.js';
import { bi, byId, clear, h } from './dom.js';
import {
  CONNECTION_LIGHTS,
  deviceText,
  formatTime,
  HEALTH_LIGHTS,
  STORAGE_LIGHTS,
  storageText,
} from './format.js';
import { lightBadge } from './widgets.js';

const w = (zh: string, en: string): Localized => ({ zh, en });

export async function loadFleet(desk: Desk): Promise<Result<void, Problem>> {
  const r = await desk.api.fleet();
  if (!r.ok) return r;
  const tbody = byId('fleet', HTMLTableElement).tBodies[0];
  if (!tbody) return ok(undefined);
  clear(tbody);
  const { kiosks } = r.value;
  if (kiosks.length === 0) {
    tbody.appendChild(
      h('tr', null, h('td', { colspan: 9, className: 'empty' }, bi(w('暂无终端', 'No kiosks')))),
    );
  }
  for (const k of kiosks) {
    const space = k.storage === null ? 'unknown' : k.storage.low ? 'low' : 'ok';
    const spaceText = storageText(k.storage);
    const devices =
      k.devices.length > 0
        ? h(
            'ul',
            { className: 'devices' },
            k.devices.map((d) => h('li', null, deviceText(d))),
          )
        : null;
    tbody.appendChild(
      h(
        'tr',
        { 'data-kiosk': k.id },
        h('td', { className: 'mono' }, k.id),
        h('td', null, k.jurisdiction),
        h('td', null, lightBadge(CONNECTION_LIGHTS[k.connection])),
        h('td', null, formatTime(k.lastContactAt, desk.state.timeZone)),
        h('td', null, String(k.lastAppliedSeq)),
        h('td', null, k.backlog === null ? '—' : String(k.backlog)),
        h('td', null, lightBadge(HEALTH_LIGHTS[k.health]), devices),
        h(
          'td',
          { 'data-storage': space },
          lightBadge(STORAGE_LIGHTS[space]),
          spaceText && h('div', null, bi(spaceText)),
        ),
        h('td', null, k.appVersion ?? '—'),
      ),
    );
  }
  return ok(undefined);
}
