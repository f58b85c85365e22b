// vmport web console (issue 15): plain JavaScript, no framework, no build step.
// Talks to the admin API of the node that served it: JSON over fetch with the session cookie (changes carry the
// header X-Vmport-Console: 1), live state over Server-Sent Events from /api/events.
'use strict';

(function () {
  const ACTIONS = [
    ['make-primary', 'Make Primary'],
    ['deactivate', 'Deactivate'],
    ['activate', 'Activate'],
    ['stop-taking-calls', 'Stop Taking Calls'],
    ['take-calls', 'Take Calls'],
  ];
  const SERVER_FIELDS = [
    ['role', 'Role'], ['status', 'Status'], ['epoch', 'Epoch'], ['takingCalls', 'Taking calls'],
    ['draining', 'Draining'], ['callsInProgress', 'Calls in progress'], ['portsTotal', 'Ports'],
    ['portsIdle', 'Ports idle'], ['portsBusy', 'Ports busy'], ['peerConnected', 'Peer link up'],
    ['lastHeartbeat', 'Last heartbeat'],
  ];
  const PORT_FIELDS = ['server', 'name', 'state', 'conversation', 'mailbox', 'caller', 'called', 'reason',
    'redirecting', 'since'];
  const PORT_STATES = ['IDLE', 'RINGING', 'IN_CALL', 'DRAINING', 'OUT_OF_SERVICE'];
  const PAGES = ['cluster', 'ports', 'alarms', 'mailboxes'];
  const MAX_ALARMS = 500;
  const RECONNECT_MS = 2000;

  const $ = (sel) => document.querySelector(sel);
  const el = (tag, attrs, text) => {
    const e = document.createElement(tag);
    if (attrs) {
      for (const k of Object.keys(attrs)) {
        e.setAttribute(k, attrs[k]);
      }
    }
    if (text !== undefined && text !== null) {
      e.textContent = text;
    }
    return e;
  };
  const show = (e, visible) => {
    if (visible) {
      e.removeAttribute('hidden');
    } else {
      e.setAttribute('hidden', '');
    }
  };
  const text = (v) => (v === null || v === undefined ? '' : String(v));

  const state = {
    signedIn: false,
    source: null,        // the EventSource
    reconnectTimer: 0,
    everConnected: false,
    node: null,          // the server that serves this page, from the cluster view
    servers: new Map(),  // name -> {root, fields: {field: element}}
    ports: new Map(),    // port name -> {row, cells: {field: td}, port}
    pendingPorts: new Map(),
    frameRequested: false,
    alarmIds: new Set(),
    mailbox: null,
  };

  // ---- HTTP ---------------------------------------------------------------------------------------------------

  async function api(method, path, body) {
    const headers = {'Accept': 'application/json'};
    if (method !== 'GET') {
      headers['X-Vmport-Console'] = '1';
    }
    const init = {method, headers, credentials: 'same-origin', cache: 'no-store'};
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const r = await fetch(path, init);
    let json = null;
    const type = r.headers.get('Content-Type') || '';
    if (type.startsWith('application/json') && r.status !== 204) {
      try {
        json = await r.json();
      } catch (e) {
        json = null;
      }
    }
    if (r.status === 401 && path !== '/api/session') {
      signedOut();
    }
    return {status: r.status, body: json};
  }

  const errorOf = (r) => (r.body && r.body.error) ? r.body.error : 'the node answered HTTP ' + r.status;

  // ---- sign-in ------------------------------------------------------------------------------------------------

  async function signIn(ev) {
    ev.preventDefault();
    const token = $('#token').value;
    $('#signin-error').textContent = '';
    $('#signin-submit').disabled = true;
    try {
      const r = await api('POST', '/api/session', {token});
      if (r.status === 204) {
        $('#token').value = '';
        signedIn();
      } else if (r.status === 401) {
        $('#signin-error').textContent = 'The token was refused.';
      } else {
        $('#signin-error').textContent = errorOf(r);
      }
    } catch (e) {
      $('#signin-error').textContent = 'The node cannot be reached: ' + e.message;
    } finally {
      $('#signin-submit').disabled = false;
    }
  }

  async function signOut() {
    try {
      await api('DELETE', '/api/session');
    } catch (e) {
      // signed out here either way
    }
    signedOut();
  }

  function signedIn() {
    state.signedIn = true;
    show($('#signin'), false);
    show($('#app'), true);
    show($('#signout'), true);
    showPage(pageFromHash());
    connect();
    loadAlarms();
  }

  function signedOut() {
    if (state.source) {
      state.source.close();
      state.source = null;
    }
    clearTimeout(state.reconnectTimer);
    state.signedIn = false;
    state.everConnected = false;
    clearData();
    show($('#app'), false);
    show($('#signout'), false);
    show($('#signin'), true);
    setConnection('connecting', 'Signed out');
    $('#token').focus();
  }

  /** Forgets what the page shows, so that nothing of it stays on screen once signed out. */
  function clearData() {
    state.servers.clear();
    state.ports.clear();
    state.pendingPorts.clear();
    state.alarmIds.clear();
    state.mailbox = null;
    state.node = null;
    for (const sel of ['#servers', '#ports tbody', '#alarms tbody', '#mailboxes tbody', '#messages tbody']) {
      $(sel).replaceChildren();
    }
    $('#node-name').textContent = '';
    $('#ports-count').textContent = '0';
    $('#ports-summary').textContent = '';
    actionError(null);
    mailboxError(null);
  }

  // ---- the event stream ---------------------------------------------------------------------------------------

  function nodeName() {
    return state.node || 'the node';
  }

  function setConnection(s, words) {
    const c = $('#connection');
    c.setAttribute('data-state', s);
    c.textContent = words;
  }

  function connect() {
    if (state.source) {
      state.source.close();
    }
    setConnection(state.everConnected ? 'lost' : 'connecting', state.everConnected
      ? 'Connection to ' + nodeName() + ' lost, reconnecting...' : 'Connecting...');
    const source = new EventSource('/api/events');
    state.source = source;
    source.onopen = () => {
      const again = state.everConnected;
      state.everConnected = true;
      setConnection('connected', 'Connected to ' + nodeName());
      if (again) {
        reloadAfterReconnect();
      }
    };
    source.onerror = () => {
      if (source !== state.source) {
        return;
      }
      setConnection('lost', 'Connection to ' + nodeName() + ' lost, reconnecting...');
      if (source.readyState === EventSource.CLOSED) {
        // the browser gave up (an answer that is not a stream: signed out, or the node restarted): ask ourselves
        clearTimeout(state.reconnectTimer);
        state.reconnectTimer = setTimeout(checkAndReconnect, RECONNECT_MS);
      }
    };
    source.addEventListener('cluster', (e) => renderCluster(JSON.parse(e.data)));
    source.addEventListener('ports', (e) => queuePorts(JSON.parse(e.data).ports));
    source.addEventListener('alarm', (e) => addAlarm(JSON.parse(e.data), true));
  }

  async function checkAndReconnect() {
    if (!state.signedIn) {
      return;
    }
    try {
      const r = await api('GET', '/api/session');
      if (r.status === 200) {
        connect();
      } else if (r.status === 401) {
        signedOut(); // the node restarted, or the session ended: the token again
      } else {
        state.reconnectTimer = setTimeout(checkAndReconnect, RECONNECT_MS);
      }
    } catch (e) {
      state.reconnectTimer = setTimeout(checkAndReconnect, RECONNECT_MS); // the node is still down
    }
  }

  async function reloadAfterReconnect() {
    // the stream starts again with the cluster and every port; alarms and mailboxes are read again
    const r = await api('GET', '/api/cluster');
    if (r.status === 200) {
      renderCluster(r.body);
    }
    loadAlarms();
    if (state.mailbox !== null && !$('#page-mailboxes').hasAttribute('hidden')) {
      loadMailboxes();
    }
  }

  // ---- navigation ---------------------------------------------------------------------------------------------

  function pageFromHash() {
    const p = location.hash.replace('#', '');
    return PAGES.includes(p) ? p : 'cluster';
  }

  function showPage(page) {
    for (const p of PAGES) {
      show($('#page-' + p), p === page);
      const link = document.querySelector('a[data-page="' + p + '"]');
      if (p === page) {
        link.setAttribute('aria-current', 'page');
      } else {
        link.removeAttribute('aria-current');
      }
    }
    if (page === 'mailboxes') {
      loadMailboxes();
    }
  }

  // ---- Cluster Management -------------------------------------------------------------------------------------

  function serverCard(name) {
    let s = state.servers.get(name);
    if (s) {
      return s;
    }
    const root = el('article', {'class': 'server', 'data-server': name});
    const head = el('h3');
    head.append(el('span', {'class': 'server-name'}, name), el('span', {'class': 'badge', 'data-field': 'self'}));
    root.append(head);
    const dl = el('dl');
    const fields = {};
    for (const [f, label] of SERVER_FIELDS) {
      dl.append(el('dt', null, label));
      fields[f] = el('dd', {'data-field': f});
      dl.append(fields[f]);
    }
    root.append(dl);
    const actions = el('div', {'class': 'actions'});
    for (const [action, label] of ACTIONS) {
      const b = el('button', {'type': 'button', 'data-action': action}, label);
      if (action === 'deactivate') {
        b.classList.add('danger');
      }
      b.addEventListener('click', () => runAction(name, action, label));
      actions.append(b);
    }
    root.append(actions);
    $('#servers').append(root);
    s = {root, fields, self: head.querySelector('[data-field=self]')};
    state.servers.set(name, s);
    return s;
  }

  function renderCluster(c) {
    if (!c || !c.servers) {
      return;
    }
    if (state.node !== c.self) {
      state.node = c.self;
      $('#node-name').textContent = 'on ' + c.self;
      if ($('#connection').getAttribute('data-state') === 'connected') {
        setConnection('connected', 'Connected to ' + nodeName());
      }
    }
    for (const srv of c.servers) {
      const s = serverCard(srv.name);
      s.root.setAttribute('data-status', srv.status);
      s.self.textContent = srv.self ? 'this node' : '';
      for (const [f] of SERVER_FIELDS) {
        let v = srv[f];
        if (f === 'takingCalls') {
          v = v ? 'yes' : 'no';
        } else if (f === 'draining') {
          v = srv.takingCalls ? '' : (srv.callsInProgress > 0 ? 'draining' : 'drained');
        } else if (f === 'lastHeartbeat' && v === null) {
          v = 'never';
        }
        const t = text(v);
        if (s.fields[f].textContent !== t) {
          s.fields[f].textContent = t;
        }
      }
    }
    $('#cluster-epoch').textContent = text(c.epoch);
    $('#cluster-integration').textContent = text(c.integration);
    $('#cluster-self').textContent = text(c.self);
    $('#cluster-asof').textContent = text(c.asOf);
  }

  function confirmDialog(title, words, okLabel) {
    return new Promise((resolve) => {
      const d = $('#confirm');
      $('#confirm-title').textContent = title;
      $('#confirm-text').textContent = words;
      $('#confirm-ok').textContent = okLabel;
      d.returnValue = '';
      d.addEventListener('close', () => resolve(d.returnValue === 'ok'), {once: true});
      d.showModal();
      $('#confirm-cancel').focus();
    });
  }

  function actionError(message) {
    const e = $('#action-error');
    e.textContent = message || '';
    show(e, !!message);
  }

  async function runAction(server, action, label) {
    actionError(null);
    // deactivate is confirmed here, so it is asked with force: the preview says how many calls it drops
    const query = action === 'deactivate' ? '?force=true' : '';
    const base = '/api/servers/' + encodeURIComponent(server) + '/' + action;
    try {
      const preview = await api('GET', base + '/preview' + query);
      if (preview.status !== 200) {
        actionError(errorOf(preview));
        return;
      }
      const ok = await confirmDialog(label + ' ' + server + '?', preview.body.preview.summary, label);
      if (!ok) {
        return;
      }
      const r = await api('POST', base + query);
      if (r.status === 200) {
        renderCluster(r.body.cluster);
      } else {
        actionError(errorOf(r));
      }
    } catch (e) {
      actionError(label + ' ' + server + ': the node cannot be reached (' + e.message + ')');
    }
  }

  // ---- Port Monitor -------------------------------------------------------------------------------------------

  function queuePorts(ports) {
    for (const p of ports) {
      state.pendingPorts.set(p.name, p);
    }
    if (!state.frameRequested) {
      state.frameRequested = true;
      requestAnimationFrame(flushPorts);
    }
  }

  function portVisible(p) {
    const server = $('#filter-server').value;
    const st = $('#filter-state').value;
    if (st && p.state !== st) {
      return false;
    }
    if (!server) {
      return true;
    }
    if (p.server === 'shared') {
      return p.handledBy === null || p.handledBy === server;
    }
    return p.server === server;
  }

  function flushPorts() {
    state.frameRequested = false;
    const body = $('#ports tbody');
    let added = null;
    for (const p of state.pendingPorts.values()) {
      let entry = state.ports.get(p.name);
      if (!entry) {
        const row = el('tr', {'data-port': p.name, 'data-server': p.server});
        const cells = {};
        for (const f of PORT_FIELDS) {
          cells[f] = el('td', {'data-field': f});
          row.append(cells[f]);
        }
        entry = {row, cells, port: {}};
        state.ports.set(p.name, entry);
        added = added || document.createDocumentFragment();
        added.append(row);
      }
      for (const f of PORT_FIELDS) {
        if (entry.port[f] !== p[f]) {
          entry.cells[f].textContent = text(p[f]);
        }
      }
      if (entry.port.state !== p.state) {
        entry.row.setAttribute('data-state', p.state);
      }
      entry.port = p;
      const visible = portVisible(p);
      if (visible === entry.row.hidden) {
        entry.row.hidden = !visible;
      }
    }
    state.pendingPorts.clear();
    if (added) {
      body.append(added);
    }
    countPorts();
  }

  function applyPortFilter() {
    for (const entry of state.ports.values()) {
      entry.row.hidden = !portVisible(entry.port);
    }
    countPorts();
  }

  function countPorts() {
    let shown = 0;
    const byState = {};
    for (const entry of state.ports.values()) {
      if (!entry.row.hidden) {
        shown++;
      }
      byState[entry.port.state] = (byState[entry.port.state] || 0) + 1;
    }
    $('#ports-count').textContent = String(shown);
    $('#ports-summary').textContent = PORT_STATES.filter((s) => byState[s])
      .map((s) => s + ' ' + byState[s]).join(' \u00b7 ');
  }

  // ---- Alarms -------------------------------------------------------------------------------------------------

  async function loadAlarms() {
    const r = await api('GET', '/api/alarms?limit=200');
    if (r.status !== 200) {
      return;
    }
    // newest first from the API: add the oldest first, each at the top
    const alarms = r.body.alarms.slice().reverse();
    for (const a of alarms) {
      addAlarm(a, false);
    }
  }

  function addAlarm(a, live) {
    if (a.id && state.alarmIds.has(a.id)) {
      return;
    }
    if (a.id) {
      state.alarmIds.add(a.id);
    }
    const body = $('#alarms tbody');
    const at = Date.parse(a.time) || 0;
    const row = el('tr', live ? {'class': 'new'} : null);
    row.alarmTime = at;
    for (const f of ['time', 'server', 'name', 'detail']) {
      row.append(el('td', {'data-field': f}, text(a[f])));
    }
    // keep newest first even when an older alarm arrives late
    let before = body.firstElementChild;
    while (before && before.alarmTime > at) {
      before = before.nextElementSibling;
    }
    body.insertBefore(row, before);
    while (body.rows.length > MAX_ALARMS) {
      body.deleteRow(body.rows.length - 1);
    }
  }

  // ---- Mailboxes ----------------------------------------------------------------------------------------------

  function mailboxError(message) {
    const e = $('#mailbox-error');
    e.textContent = message || '';
    show(e, !!message);
  }

  async function loadMailboxes() {
    mailboxError(null);
    const r = await api('GET', '/api/mailboxes');
    if (r.status !== 200) {
      mailboxError(errorOf(r));
      return;
    }
    const body = $('#mailboxes tbody');
    body.replaceChildren();
    for (const m of r.body.mailboxes) {
      const row = el('tr', {'data-mailbox': m.extension, 'tabindex': '0'});
      row.append(el('td', null, m.extension), el('td', null, m.name), el('td', null, m.hasGreeting ? 'own' : 'system'));
      row.addEventListener('click', () => loadMessages(m.extension));
      row.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') {
          loadMessages(m.extension);
        }
      });
      if (m.extension === state.mailbox) {
        row.classList.add('selected');
      }
      body.append(row);
    }
    if (state.mailbox !== null) {
      loadMessages(state.mailbox);
    }
  }

  async function loadMessages(extension) {
    state.mailbox = extension;
    for (const row of document.querySelectorAll('#mailboxes tbody tr')) {
      row.classList.toggle('selected', row.getAttribute('data-mailbox') === extension);
    }
    $('#messages-title').textContent = 'Messages of ' + extension;
    const r = await api('GET', '/api/mailboxes/' + encodeURIComponent(extension) + '/messages');
    if (r.status !== 200) {
      mailboxError(errorOf(r));
      return;
    }
    if (state.mailbox !== extension) {
      return; // another mailbox was chosen meanwhile
    }
    const body = $('#messages tbody');
    body.replaceChildren();
    for (const m of r.body.messages) {
      const row = el('tr', {'data-message': m.id});
      const audio = el('audio', {'controls': '', 'preload': 'none',
        'src': '/api/messages/' + encodeURIComponent(m.id) + '/audio'});
      const del = el('button', {'type': 'button', 'data-action': 'delete-message', 'class': 'danger'}, 'Delete');
      del.addEventListener('click', () => deleteMessage(m, row));
      const play = el('td');
      play.append(audio);
      const actions = el('td');
      actions.append(del);
      row.append(el('td', {'data-field': 'receivedAt'}, text(m.receivedAt)),
        el('td', {'data-field': 'caller'}, text(m.caller) || 'unknown'),
        el('td', {'data-field': 'duration'}, (m.durationMs / 1000).toFixed(1) + ' s'),
        el('td', {'data-field': 'heard'}, m.heard ? 'yes' : 'no'), play, actions);
      body.append(row);
    }
    if (r.body.messages.length === 0) {
      const row = el('tr', {'class': 'empty'});
      row.append(el('td', {'colspan': '6'}, 'No messages.'));
      body.append(row);
    }
  }

  async function deleteMessage(m, row) {
    mailboxError(null);
    const ok = await confirmDialog('Delete message?', 'Delete the message from ' + (m.caller || 'an unknown caller')
      + ' received ' + m.receivedAt + ' in mailbox ' + m.mailbox + '? It cannot be undone.', 'Delete');
    if (!ok) {
      return;
    }
    try {
      const r = await api('DELETE', '/api/messages/' + encodeURIComponent(m.id));
      if (r.status === 200 || r.status === 404) {
        row.remove();
      } else {
        mailboxError(errorOf(r));
      }
    } catch (e) {
      mailboxError('the node cannot be reached: ' + e.message);
    }
  }

  // ---- start --------------------------------------------------------------------------------------------------

  async function start() {
    const stateFilter = $('#filter-state');
    for (const s of PORT_STATES) {
      stateFilter.append(el('option', {'value': s}, s));
    }
    $('#filter-server').addEventListener('change', applyPortFilter);
    stateFilter.addEventListener('change', applyPortFilter);
    $('#signin').addEventListener('submit', signIn);
    $('#signout').addEventListener('click', signOut);
    window.addEventListener('hashchange', () => {
      if (state.signedIn) {
        showPage(pageFromHash());
      }
    });
    try {
      const r = await api('GET', '/api/session');
      if (r.status === 200) {
        signedIn();
      } else {
        signedOut();
      }
    } catch (e) {
      signedOut();
      $('#signin-error').textContent = 'The node cannot be reached: ' + e.message;
    }
  }

  start();
}());
