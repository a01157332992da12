// The AppMsg operator console: one page, no framework. It signs in with the admin key or an app's
// appId:secret, keeps the credential in sessionStorage only, and calls the edge's public API with it.
// Every call shows its progress and its failure in the status bar; a view whose data failed to load
// says why instead of staying blank. Data is only ever inserted as text, never as HTML.
'use strict';

(() => {
  const CREDENTIAL = 'appmsg.console.credential';
  const HISTORY_SECONDS = 120;
  const P99_WINDOW_SECONDS = 10;

  const main = document.getElementById('main');
  const statusBar = document.getElementById('status');
  let me = null;
  let inFlight = 0;
  let stopView = null;

  // ---------- small helpers ----------

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function show(...nodes) {
    if (stopView) { stopView(); stopView = null; }
    setStatus('', '');
    main.replaceChildren(...nodes);
  }

  function setStatus(text, kind) {
    statusBar.textContent = text;
    statusBar.className = kind || '';
  }

  class ApiError extends Error {
    constructor(status, code, title, errors) {
      super(title);
      this.status = status;
      this.code = code;
      this.errors = errors;
    }

    // A 404 without a problem code comes from no route at all: the feature is not deployed on this edge.
    get routeMissing() { return this.status === 404 && !this.code; }

    describe() {
      if (this.routeMissing) return 'not available on this edge (the route does not exist in this build)';
      const fields = this.errors ? ' — ' + Object.entries(this.errors).map(([f, m]) => `${f}: ${[].concat(m).join(', ')}`).join('; ') : '';
      return `${this.message}${this.code ? ` (${this.code}, HTTP ${this.status})` : ` (HTTP ${this.status})`}${fields}`;
    }
  }

  async function api(method, path, body, credential) {
    inFlight++;
    setStatus(`Working… ${method} ${path}`, 'busy');
    try {
      let response;
      try {
        response = await fetch(path, {
          method,
          headers: Object.assign(
            { Authorization: `Bearer ${credential || sessionStorage.getItem(CREDENTIAL) || ''}` },
            body === undefined ? {} : { 'Content-Type': 'application/json' }),
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (e) {
        throw new ApiError(0, 'unreachable', 'the edge does not answer (network error)');
      }
      const text = await response.text();
      let json = null;
      if (text) {
        try { json = JSON.parse(text); } catch { json = null; }
      }
      if (!response.ok) {
        throw new ApiError(response.status, json && json.code, (json && (json.title || json.detail)) || response.statusText || 'request failed', json && json.errors);
      }
      setStatus(`${method} ${path}: done`, 'ok');
      return json;
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError(0, 'failed', String(e));
      setStatus(`${method} ${path}: ${error.routeMissing ? '' : 'failed: '}${error.describe()}`, error.routeMissing ? '' : 'error');
      throw error;
    } finally {
      inFlight--;
    }
  }

  function errorBox(what, error) {
    // A feature this build does not have is a plain note, not an alarm.
    const missing = error instanceof ApiError && error.routeMissing;
    return el('div', { class: missing ? 'unavailable' : 'error-box', 'data-error': missing ? 'unavailable' : 'failed' },
      `${what}: `, error instanceof ApiError ? error.describe() : String(error));
  }

  // Renders into a section once the promise settles: the data, or why it is missing.
  function panel(title, load, render) {
    const body = el('div', {}, el('p', { class: 'note' }, 'Loading…'));
    const section = el('section', {}, el('h3', {}, title), body);
    // replaceChildren would show a null as the text "null": renderers may return null for "nothing here".
    const refresh = () => load().then(
      data => body.replaceChildren(...[].concat(render(data, refresh)).filter(node => node !== null && node !== undefined && node !== false)),
      error => body.replaceChildren(errorBox(`Could not load ${title.toLowerCase()}`, error)));
    refresh();
    return section;
  }

  function table(columns, rows, empty) {
    if (!rows || rows.length === 0) return el('p', { class: 'note' }, empty || 'None.');
    return el('table', {},
      el('thead', {}, el('tr', {}, columns.map(c => el('th', {}, c[0])))),
      el('tbody', {}, rows.map(row => el('tr', {}, columns.map(c => el('td', {}, c[1](row)))))));
  }

  function link(href, text) { return el('a', { href }, text); }

  function formOf(fields, submitText, onsubmit) {
    const inputs = {};
    const form = el('form', {
      onsubmit: async event => {
        event.preventDefault();
        const values = {};
        for (const [name, input] of Object.entries(inputs)) values[name] = input.value.trim();
        button.disabled = true;
        try { await onsubmit(values, form); } catch { /* shown in the status bar */ } finally { button.disabled = false; }
      },
    });
    for (const [name, placeholder, type] of fields) {
      inputs[name] = el('input', { name, placeholder, 'aria-label': placeholder, type: type || 'text' });
      form.append(inputs[name]);
    }
    const button = el('button', { type: 'submit' }, submitText);
    form.append(button);
    return form;
  }

  const when = text => text ? new Date(text).toLocaleString() : '';

  // ---------- sign-in ----------

  async function signIn(credential) {
    const identity = await api('GET', 'api/me', undefined, credential);
    sessionStorage.setItem(CREDENTIAL, credential);
    me = identity;
    applyIdentity();
  }

  function applyIdentity() {
    document.getElementById('nav').hidden = !me;
    document.getElementById('sign-out').hidden = !me;
    document.getElementById('who').replaceChildren(...(!me ? [] : me.kind === 'operator' ? ['operator']
      : ['app ', link(`#/app/${me.appId}`, me.appId), ' of tenant ', link(`#/tenant/${me.tenantId}`, me.tenantId)]));
    for (const item of document.querySelectorAll('[data-operator]')) item.hidden = !me || me.kind !== 'operator';
  }

  function signInView(message) {
    const error = el('div', {});
    if (message) error.append(el('div', { class: 'error-box' }, message));
    const input = el('input', { id: 'credential', type: 'password', autocomplete: 'off', placeholder: 'admin key, or appId:appSecret', 'aria-label': 'credential' });
    const form = el('form', {
      onsubmit: async event => {
        event.preventDefault();
        error.replaceChildren();
        try {
          await signIn(input.value.trim());
          location.hash = '#/overview';
          route();
        } catch (e) {
          const why = e.status === 401 ? 'the key or app credential is not valid'
            : e.status === 403 ? e.message : e.describe();
          error.replaceChildren(el('div', { class: 'error-box', id: 'signin-error' }, `Sign-in failed: ${why}.`));
        }
      },
    }, input, el('button', { type: 'submit' }, 'Sign in'));
    show(el('section', { class: 'signin' },
      el('h2', {}, 'Sign in'),
      el('p', { class: 'note' }, 'The operator signs in with the admin key; an app owner with appId:secret (that app and its tenant only).'),
      form, error));
    input.focus();
  }

  // ---------- overview: live charts from this edge's /metrics ----------

  function parseMetrics(text) {
    const samples = [];
    for (const line of text.split('\n')) {
      if (!line || line[0] === '#') continue;
      const brace = line.indexOf('{');
      const close = line.lastIndexOf('}');
      const space = line.indexOf(' ', close > 0 ? close : 0);
      const name = brace > 0 && brace < space ? line.slice(0, brace) : line.slice(0, space);
      const labels = {};
      if (brace > 0 && brace < space) {
        for (const match of line.slice(brace + 1, close).matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[match[1]] = match[2];
      }
      samples.push({ name, labels, value: Number(line.slice(space + 1).trim().split(/\s+/)[0]) });
    }
    return samples;
  }

  const sum = (samples, name, where) =>
    samples.filter(s => s.name === name && (!where || where(s.labels))).reduce((total, s) => total + s.value, 0);

  function buckets(samples, name) {
    const byBound = new Map();
    for (const s of samples) {
      if (s.name !== name) continue;
      const bound = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
      byBound.set(bound, (byBound.get(bound) || 0) + s.value);
    }
    return byBound;
  }

  // The 0.99 quantile of what was observed between two scrapes: the upper bound of the bucket it falls in.
  function p99Between(earlier, later) {
    if (!earlier) return null;
    const bounds = [...later.keys()].sort((a, b) => a - b);
    const total = (later.get(Infinity) || 0) - (earlier.get(Infinity) || 0);
    if (total <= 0) return null;
    for (const bound of bounds) {
      if ((later.get(bound) || 0) - (earlier.get(bound) || 0) >= 0.99 * total) return bound === Infinity ? null : bound * 1000;
    }
    return null;
  }

  function overviewView() {
    const series = [
      ['connections', 'Connections', 'open now'],
      ['messages', 'Messages/s', 'accepted by this edge'],
      ['deliveries', 'Deliveries/s', 'live and replayed'],
      ['p99', 'p99 latency (ms)', `publish to socket, last ${P99_WINDOW_SECONDS} s`],
      ['errors', 'Errors/s', 'HTTP 5xx and protocol errors'],
    ];
    const times = [];
    const values = Object.fromEntries(series.map(([key]) => [key, []]));
    const current = {};
    const plots = {};
    const grid = el('div', { class: 'charts' });
    const totals = el('p', { class: 'note' }, 'Waiting for the first scrape…');
    for (const [key, title, note] of series) {
      current[key] = el('span', { 'data-metric': key }, '–');
      const holder = el('div', {});
      grid.append(el('section', { class: 'chart' }, el('h3', {}, title, current[key], el('span', {}, note)), holder));
      plots[key] = new uPlot({
        width: 420, height: 160, legend: { show: false },
        // The last HISTORY_SECONDS, from zero up: a quiet edge shows a flat line, not a zoomed-in wobble.
        scales: { x: { time: true, range: (_, min, max) => [max - HISTORY_SECONDS, max] }, y: { range: (_, min, max) => [0, Math.max(1, max * 1.1)] } },
        series: [{}, { label: title, stroke: '#2f6fdf', width: 2, fill: 'rgba(47,111,223,0.08)', spanGaps: false }],
        axes: [{}, { size: 50 }],
      }, [[], []], holder);
    }

    const snapshots = [];
    let timer = null;
    let stopped = false;
    const errorLine = el('div', {});
    async function tick() {
      let text;
      try {
        const response = await fetch('../metrics', { cache: 'no-store' });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        text = await response.text();
        errorLine.replaceChildren();
      } catch (e) {
        errorLine.replaceChildren(el('div', { class: 'error-box' }, `Could not read this edge's /metrics: ${e.message}; retrying every second.`));
        return;
      }
      const samples = parseMetrics(text);
      const now = Date.now() / 1000;
      const snapshot = {
        at: now,
        connections: sum(samples, 'appmsg_edge_connections'),
        messages: sum(samples, 'appmsg_edge_messages_accepted_total'),
        deliveries: sum(samples, 'appmsg_edge_deliveries_total'),
        errors: sum(samples, 'http_server_request_duration_seconds_count', l => (l.http_response_status_code || '').startsWith('5'))
          + sum(samples, 'appmsg_edge_protocol_errors_total'),
        latency: buckets(samples, 'appmsg_edge_publish_to_socket_duration_seconds_bucket'),
      };
      const previous = snapshots[snapshots.length - 1];
      snapshots.push(snapshot);
      while (snapshots.length > P99_WINDOW_SECONDS + 1) snapshots.shift();
      if (!previous) return;
      const seconds = Math.max(0.001, snapshot.at - previous.at);
      const point = {
        connections: snapshot.connections,
        messages: Math.max(0, (snapshot.messages - previous.messages) / seconds),
        deliveries: Math.max(0, (snapshot.deliveries - previous.deliveries) / seconds),
        p99: p99Between(snapshots[0] === snapshot ? null : snapshots[0].latency, snapshot.latency),
        errors: Math.max(0, (snapshot.errors - previous.errors) / seconds),
      };
      times.push(now);
      for (const [key] of series) values[key].push(point[key]);
      while (times.length > HISTORY_SECONDS) {
        times.shift();
        for (const [key] of series) values[key].shift();
      }
      for (const [key] of series) {
        plots[key].setData([times, values[key]]);
        current[key].textContent = point[key] === null ? '–' : Number.isInteger(point[key]) ? String(point[key]) : point[key].toFixed(1);
      }
      totals.replaceChildren('Totals since this edge started: ',
        el('span', { id: 'total-messages' }, String(snapshot.messages)), ' messages accepted, ',
        el('span', { id: 'total-deliveries' }, String(snapshot.deliveries)), ' deliveries.');
    }

    async function loop() {
      if (stopped) return;
      await tick();
      if (!stopped) timer = setTimeout(loop, 1000);
    }

    show(el('section', {}, el('h2', {}, 'Overview'),
      el('p', { class: 'note' }, 'This edge\'s own figures, read from its /metrics every second; each silo serves its own on APPMSG_METRICS_PORT.'),
      errorLine, totals), grid);
    loop();
    stopView = () => {
      stopped = true;
      clearTimeout(timer);
      for (const plot of Object.values(plots)) plot.destroy();
    };
  }

  // ---------- directory ----------

  // Disables or enables a tenant (operator): nothing is deleted; its users, apps and devices are refused meanwhile.
  function tenantToggle(tenant, after) {
    return el('button', {
      type: 'button',
      'data-tenant-toggle': tenant.id,
      onclick: async event => {
        event.target.disabled = true;
        try { await api('PATCH', `/v1/tenants/${encodeURIComponent(tenant.id)}`, { disabled: !tenant.disabled }); after(); } catch { /* status bar */ } finally { event.target.disabled = false; }
      },
    }, tenant.disabled ? 'Enable' : 'Disable');
  }

  function tenantsView() {
    const created = el('div', {});
    const listBody = el('div', {}, el('p', { class: 'note' }, 'Loading…'));
    let search = '';
    let latest = 0;
    // Keyset pages: "More" appends the next page to the rows already shown. Only the latest request's answer is shown.
    const load = (after, shown) => {
      const mine = ++latest;
      return api('GET', `/v1/tenants?limit=50${search ? `&search=${encodeURIComponent(search)}` : ''}${after ? `&after=${encodeURIComponent(after)}` : ''}`).then(
        page => {
          if (mine !== latest) return;
          const rows = shown.concat(page.tenants);
          listBody.replaceChildren(
            table([
              ['tenant', t => link(`#/tenant/${t.id}`, t.name)],
              ['id', t => el('span', { class: 'mono' }, t.id)],
              ['status', t => el('span', { class: t.disabled ? 'disabled' : '', 'data-status': t.disabled ? 'disabled' : 'active' }, t.disabled ? 'disabled' : 'active')],
              ['created', t => when(t.createdAt)],
              ['', t => tenantToggle(t, () => load(null, []))],
            ], rows, search ? 'No tenant name starts with that.' : 'No tenants yet.'),
            ...(page.next ? [el('button', { type: 'button', onclick: () => load(page.next, rows) }, 'More')] : []));
        },
        error => { if (mine === latest) listBody.replaceChildren(errorBox('Could not load the tenants', error)); });
    };
    const open = formOf([['id', 'tenant id']], 'Open', values => { location.hash = `#/tenant/${encodeURIComponent(values.id)}`; });
    const create = formOf([['name', 'new tenant name']], 'Create tenant', async (values, form) => {
      const tenant = await api('POST', '/v1/tenants', { name: values.name });
      form.reset();
      created.replaceChildren(el('p', {}, 'Created tenant ', link(`#/tenant/${tenant.id}`, `${tenant.name} (${tenant.id})`)));
      load(null, []);
    });
    show(el('section', {}, el('h2', {}, 'Tenants'),
      formOf([['search', 'search by name prefix']], 'Search', values => { search = values.search; return load(null, []); }),
      listBody,
      el('h3', {}, 'Open or create'),
      open, create, created));
    load(null, []);
  }

  function findView() {
    const go = kind => values => { location.hash = `#/${kind}/${encodeURIComponent(values.id)}`; };
    show(el('section', {}, el('h2', {}, 'Find by id'),
      formOf([['id', 'user id']], 'Open user', go('user')),
      formOf([['id', 'app id']], 'Open app', go('app')),
      formOf([['id', 'qun id']], 'Open qun', go('qun')),
      formOf([['id', 'org id']], 'Open org', go('org')),
      formOf([['id', 'message id']], 'Delivery state', go('message'))));
  }

  function quotasPanel(path, tenantOrApp) {
    return panel('Quotas', () => api('GET', path), (data, refresh) => {
      const limits = data.limits || {};
      const usage = data.usage || {};
      const names = Object.keys(limits);
      const nodes = [table([['limit', r => r], ['value', r => limits[r] === -1 ? 'unlimited' : limits[r]], ['used now', r => usage[r] ?? '']],
        names.map(n => n))];
      if (me.kind === 'operator') {
        nodes.push(formOf(names.map(n => [n, `${n} (-1 unlimited)`, 'number']), `Set ${tenantOrApp} quotas`, async values => {
          const body = {};
          for (const n of names) body[n] = values[n] === '' ? limits[n] : Number(values[n]);
          await api('PUT', path, body);
          refresh();
        }));
      }
      return nodes;
    });
  }

  function statsPanel(query) {
    let from, to;
    return panel('Statistics by day (last 30 days)', () => {
      to = new Date();
      from = new Date(to.getTime() - 30 * 86400000);
      return api('GET', `/v1/stats?${query}&granularity=day&from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`);
    }, data => {
      // Grouped counts (messages by target kind, notifications by outcome) are charted as their totals and listed in full.
      const raw = data.rows || [];
      if (raw.length === 0) return el('p', { class: 'note' }, 'No statistics in this period.');
      const grouped = Object.keys(raw[0]).filter(k => raw[0][k] && typeof raw[0][k] === 'object');
      const rows = raw.map(r => {
        const row = Object.assign({}, r, { at: r.at.slice(0, 10), time: Date.parse(r.at) / 1000 });
        for (const k of grouped) {
          row[k] = Object.values(r[k]).reduce((a, b) => a + b, 0);
          row[`${k} by kind`] = Object.entries(r[k]).filter(([, n]) => n > 0).map(([kind, n]) => `${kind} ${n}`).join(', ');
        }
        return row;
      });
      const keys = Object.keys(rows[0]).filter(k => k !== 'time' && typeof rows[0][k] === 'number');
      const details = grouped.map(k => `${k} by kind`);
      const holder = el('div', {});
      const colours = ['#2f6fdf', '#d9822b', '#2e9e5b', '#b83280', '#7a5cd6', '#8a8f98', '#c0392b', '#16a085'];
      new uPlot({
        // The whole period on the x axis (uPlot's own range for one or two days spans years).
        width: 860, height: 240, scales: { x: { time: true, range: () => [from.getTime() / 1000, to.getTime() / 1000] } },
        series: [{}, ...keys.map((k, i) => ({ label: k, stroke: colours[i % colours.length], width: 2 }))],
      }, [rows.map(r => r.time), ...keys.map(k => rows.map(r => r[k]))], holder);
      return [holder, table([['day', r => r.at], ...keys.map(k => [k, r => r[k]]), ...details.map(k => [k, r => r[k]])], rows)];
    });
  }

  function tenantView(id) {
    const isOperator = me.kind === 'operator';
    const usersBody = el('div', {});
    let prefix = '';
    const loadUsers = () => api('GET', `/v1/tenants/${encodeURIComponent(id)}/users?limit=50${prefix ? `&prefix=${encodeURIComponent(prefix)}` : ''}`).then(
      page => usersBody.replaceChildren(table([['user', u => link(`#/user/${u.id}`, u.username)], ['display name', u => u.displayName || ''], ['status', u => u.status], ['created', u => when(u.createdAt)]], page.users, 'No users.')),
      error => usersBody.replaceChildren(errorBox('Could not load the users', error)));
    const createdApp = el('div', {});
    let refreshApps = () => {};
    show(
      panel('Tenant', () => api('GET', `/v1/tenants/${encodeURIComponent(id)}`), (t, refresh) => el('div', {},
        el('h2', {}, `${t.name} `, el('span', { class: 'mono note' }, t.id)),
        el('p', {}, el('span', { class: t.disabled ? 'disabled' : '', id: 'tenant-status' }, t.disabled ? 'disabled' : 'active'), ` · created ${when(t.createdAt)}`),
        t.disabled ? el('p', { class: 'note' }, 'Disabled: its users cannot log in or connect, its apps\' calls and messages to it are refused. Nothing is deleted.') : null,
        isOperator ? tenantToggle(t, refresh) : null,
        el('pre', { class: 'mono' }, JSON.stringify(t.settings, null, 2)))),
      el('section', {}, el('h3', {}, 'Users'),
        formOf([['prefix', 'search by user name prefix']], 'Search', values => { prefix = values.prefix; return loadUsers(); }),
        formOf([['username', 'user name'], ['password', 'password', 'password'], ['displayName', 'display name']], 'Create user', async (values, form) => {
          const user = await api('POST', '/v1/users', { tenantId: id, username: values.username, password: values.password, displayName: values.displayName || undefined });
          form.reset();
          loadUsers();
          return user;
        }),
        usersBody),
      panel('Orgs', () => api('GET', `/v1/tenants/${encodeURIComponent(id)}/orgs?limit=100`), (page, refresh) => [
        table([['org', o => link(`#/org/${o.id}`, o.name)], ['parent', o => o.parentId || ''], ['created', o => when(o.createdAt)]], page.orgs, 'No orgs.'),
        formOf([['name', 'org name'], ['parentId', 'parent org id (optional)']], 'Create org', async (values, form) => {
          await api('POST', `/v1/tenants/${encodeURIComponent(id)}/orgs`, { name: values.name, parentId: values.parentId || undefined });
          form.reset();
          refresh();
        })]),
      panel('Apps', () => api('GET', `/v1/tenants/${encodeURIComponent(id)}/apps?limit=100`), (page, refresh) => {
        refreshApps = refresh;
        return [
          table([['app', a => link(`#/app/${a.id}`, a.name)], ['id', a => el('span', { class: 'mono' }, a.id)], ['created', a => when(a.createdAt)]], page.apps, 'No apps.'),
          page.next ? el('p', { class: 'note' }, 'The first 100 apps are shown.') : null];
      }),
      el('section', {}, el('h3', {}, 'Quns and apps'),
        formOf([['name', 'qun name']], 'Create qun', async (values, form) => {
          const qun = await api('POST', '/v1/quns', { tenantId: id, name: values.name });
          form.reset();
          location.hash = `#/qun/${qun.id}`;
        }),
        isOperator ? formOf([['name', 'app name'], ['webhookUrl', 'webhook URL (optional)']], 'Create app', async (values, form) => {
          const app = await api('POST', '/v1/apps', { tenantId: id, name: values.name, webhookUrl: values.webhookUrl || undefined });
          form.reset();
          createdApp.replaceChildren(el('p', { class: 'secret' }, 'App ', link(`#/app/${app.id}`, app.id), ' created. Its secret, shown once: ', el('code', {}, app.secret)));
          refreshApps();
        }) : null,
        createdApp),
      quotasPanel(`/v1/tenants/${encodeURIComponent(id)}/quotas`, 'tenant'),
      statsPanel(`tenantId=${encodeURIComponent(id)}`));
    loadUsers();
  }

  function userView(id) {
    const sent = el('div', {});
    show(
      panel('User', () => api('GET', `/v1/users/${encodeURIComponent(id)}`), (u, refresh) => el('div', {},
        el('h2', {}, `${u.username} `, el('span', { class: 'mono note' }, u.id)),
        el('p', {}, 'tenant ', link(`#/tenant/${u.tenantId}`, u.tenantId), ` · status ${u.status} · created ${when(u.createdAt)}`),
        el('button', {
          type: 'button',
          onclick: async () => {
            try { await api('PATCH', `/v1/users/${encodeURIComponent(id)}`, { status: u.status === 'disabled' ? 'active' : 'disabled' }); refresh(); } catch { /* status bar */ }
          },
        }, u.status === 'disabled' ? 'Enable' : 'Disable'))),
      panel('Presence and sessions', () => api('GET', `/v1/users/${encodeURIComponent(id)}/presence`), (p, refresh) => [
        table([['session', s => el('span', { class: 'mono' }, s.sessionId)], ['terminal type', s => s.terminalType], ['edge', s => s.edgeId], ['since', s => when(s.since)]],
          p.sessions, 'Offline: no session.'),
        el('button', {
          type: 'button',
          onclick: async () => {
            try { await api('POST', `/v1/users/${encodeURIComponent(id)}/kick`); setTimeout(refresh, 500); } catch { /* status bar */ }
          },
        }, 'Kick every session')]),
      panel('Devices (notifications)', () => api('GET', `/v1/users/${encodeURIComponent(id)}/devices`), d =>
        table([['device', x => x.deviceId || x.id || ''], ['platform', x => x.platform || ''], ['app', x => x.appId || ''], ['terminal type', x => x.terminalType ?? '']], d.devices, 'No devices.')),
      panel('Quns', () => api('GET', `/v1/users/${encodeURIComponent(id)}/quns?limit=100`), page =>
        table([['qun', q => link(`#/qun/${q.id}`, q.name)], ['members', q => q.memberCount ?? '']], page.quns, 'In no qun.')),
      el('section', {}, el('h3', {}, 'Send a message to this user'),
        formOf([['text', 'text']], 'Send', async (values, form) => {
          const result = await api('POST', '/v1/messages', { to: [`${id}@user`], type: 'text', content: { text: values.text } });
          form.reset();
          const r = result.results[0];
          sent.replaceChildren(el('p', { id: 'sent-message' }, 'Stored as ', el('span', { class: 'mono' }, `${r.timeline} #${r.seq}`), ' — ',
            link(`#/message/${r.id}`, `delivery state of ${r.id}`)));
        }), sent));
  }

  function appView(id) {
    show(
      panel('App', () => api('GET', `/v1/apps/${encodeURIComponent(id)}`), a => el('div', {},
        el('h2', {}, `${a.name} `, el('span', { class: 'mono note' }, a.id)),
        el('p', {}, 'tenant ', link(`#/tenant/${a.tenantId}`, a.tenantId), ` · created ${when(a.createdAt)}`))),
      panel('Webhook', () => api('GET', `/v1/apps/${encodeURIComponent(id)}/webhook`), w => el('pre', { class: 'mono' }, JSON.stringify(w, null, 2))),
      panel('Webhook dead letters', () => api('GET', `/v1/apps/${encodeURIComponent(id)}/dead-letters`), (d, refresh) =>
        table([
          ['id', x => el('span', { class: 'mono' }, x.id)], ['kind', x => x.kind], ['seq', x => x.seq], ['attempts', x => x.attempts],
          ['last error', x => x.lastError], ['failed', x => when(x.failedAt)],
          ['', x => el('button', {
            type: 'button',
            onclick: async () => {
              try { await api('POST', `/v1/apps/${encodeURIComponent(id)}/dead-letters/${encodeURIComponent(x.id)}/replay`); refresh(); } catch { /* status bar */ }
            },
          }, 'Replay')],
        ], d.deadLetters, 'No dead letters.')),
      quotasPanel(`/v1/apps/${encodeURIComponent(id)}/quotas`, 'app'),
      statsPanel(`appId=${encodeURIComponent(id)}`));
  }

  function qunView(id) {
    show(
      panel('Qun', () => api('GET', `/v1/quns/${encodeURIComponent(id)}`), q => el('div', {},
        el('h2', {}, `${q.name} `, el('span', { class: 'mono note' }, q.id)),
        el('p', {}, 'tenant ', link(`#/tenant/${q.tenantId}`, q.tenantId), ` · ${q.memberCount} members · owner `, q.ownerId ? link(`#/user/${q.ownerId}`, q.ownerId) : 'none'),
        el('button', {
          type: 'button',
          onclick: async () => {
            if (!confirm('Dissolve this qun?')) return;
            try { await api('DELETE', `/v1/quns/${encodeURIComponent(id)}`); location.hash = `#/tenant/${q.tenantId}`; } catch { /* status bar */ }
          },
        }, 'Dissolve'))),
      panel('Members', () => api('GET', `/v1/quns/${encodeURIComponent(id)}/members?limit=100`), (page, refresh) => [
        table([['user', m => link(`#/user/${m.userId || m.id}`, m.userId || m.id)], ['role', m => m.role || '']], page.members, 'No members.'),
        formOf([['userId', 'user id']], 'Add member', async (values, form) => {
          await api('PUT', `/v1/quns/${encodeURIComponent(id)}/members/${encodeURIComponent(values.userId)}`);
          form.reset();
          refresh();
        })]));
  }

  function orgView(id) {
    show(
      panel('Org', () => api('GET', `/v1/orgs/${encodeURIComponent(id)}`), o => el('div', {},
        el('h2', {}, `${o.name} `, el('span', { class: 'mono note' }, o.id)),
        el('p', {}, 'tenant ', link(`#/tenant/${o.tenantId}`, o.tenantId), o.parentId ? [' · parent ', link(`#/org/${o.parentId}`, o.parentId)] : ''),
        el('button', {
          type: 'button',
          onclick: async () => {
            if (!confirm('Delete this org?')) return;
            try { await api('DELETE', `/v1/orgs/${encodeURIComponent(id)}`); location.hash = `#/tenant/${o.tenantId}`; } catch { /* status bar */ }
          },
        }, 'Delete'))),
      panel('Sub-orgs', () => api('GET', `/v1/orgs/${encodeURIComponent(id)}/children?limit=100`), page =>
        table([['org', o => link(`#/org/${o.id}`, o.name)]], page.orgs, 'No sub-orgs.')),
      panel('Members', () => api('GET', `/v1/orgs/${encodeURIComponent(id)}/members?limit=100`), (page, refresh) => [
        table([['user', m => { const u = m.userId || m.id || m; return link(`#/user/${u}`, u); }]], page.members, 'No members.'),
        formOf([['userId', 'user id']], 'Add member', async (values, form) => {
          await api('PUT', `/v1/orgs/${encodeURIComponent(id)}/members/${encodeURIComponent(values.userId)}`);
          form.reset();
          refresh();
        })]));
  }

  function messagesView() {
    show(el('section', {}, el('h2', {}, 'Message delivery state'),
      formOf([['id', 'message id']], 'Show', values => { location.hash = `#/message/${encodeURIComponent(values.id)}`; })));
  }

  function messageView(id) {
    show(el('section', {}, el('h2', {}, 'Message ', el('span', { class: 'mono' }, id))),
      panel('Delivery state', () => api('GET', `/v1/messages/${encodeURIComponent(id)}/delivery`), d =>
        (d.recipients || []).length === 0 ? el('p', { class: 'note' }, 'No recipients.') :
          table([
            ['recipient', r => link(`#/user/${r.userId}`, r.userId)],
            ['terminals', r => table([['terminal', t => t.terminalType], ['device', t => t.deviceId || ''], ['state', t => el('span', { 'data-state': t.state }, t.state)], ['at', t => when(t.at)]], r.terminals, 'No terminal.')],
          ], d.recipients)));
  }

  // ---------- routing ----------

  function route() {
    if (!me) { signInView(); return; }
    const [, view, id] = (location.hash || '#/overview').split('/').map(decodeURIComponent);
    switch (view) {
      case 'tenants': return me.kind === 'operator' ? tenantsView() : tenantView(me.tenantId);
      case 'tenant': return tenantView(id);
      case 'user': return userView(id);
      case 'app': return appView(id);
      case 'qun': return qunView(id);
      case 'org': return orgView(id);
      case 'find': return findView();
      case 'messages': return messagesView();
      case 'message': return messageView(id);
      default: return overviewView();
    }
  }

  window.addEventListener('hashchange', route);
  document.getElementById('sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(CREDENTIAL);
    me = null;
    applyIdentity();
    signInView();
  });

  (async () => {
    const saved = sessionStorage.getItem(CREDENTIAL);
    if (saved) {
      try { await signIn(saved); } catch (e) {
        sessionStorage.removeItem(CREDENTIAL);
        applyIdentity();
        signInView(e.status === 401 ? 'Your session ended: sign in again.' : `Sign-in failed: ${e.describe()}.`);
        return;
      }
    }
    route();
  })();
})();
